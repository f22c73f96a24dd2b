"""`techmarket` — run the market and operate it (see README.md)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shared.auth import ROLES, mint_token
from shared.settings import SERVICES, get_settings
from techmarket.settings import UpSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="techmarket", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="start the whole market (Ctrl-C stops it)")
    up.add_argument("--workdir", type=Path, help="default: TECHMARKET_HOME, or .techmarket")
    up.add_argument("--seed", action="store_true", help="load the demonstration market")

    migrate = sub.add_parser("migrate", help="create (if missing) and migrate the databases")
    migrate.add_argument("service", nargs="?", choices=SERVICES,
                         help="only this service's database (default: every service's)")

    token = sub.add_parser("token", help="print a JWT signed with TECHMARKET_JWT_SECRET (or "
                           "the development secret, which only a development market accepts)")
    token.add_argument("--role", required=True, choices=ROLES)
    token.add_argument("--region", required=True, choices=["BJ", "TJ", "HE"])
    token.add_argument("--org")
    token.add_argument("--sub")
    token.add_argument("--ttl", type=int, default=86400,
                       help="seconds the token lives, at most JWT_MAX_TTL_SECONDS (86400)")

    replay = sub.add_parser("replay", help="re-publish a service's outbox from a time")
    replay.add_argument("service", choices=SERVICES)
    replay.add_argument("--since", required=True, help="RFC 3339 time, e.g. 2026-11-28T10:00:00Z")
    replay.add_argument("--force", action="store_true",
                        help="replay from further back than 30 days")

    seed = sub.add_parser("seed", help="load the demonstration market through the APIs")
    seed.add_argument("--offers", type=int, default=320)
    seed.add_argument("--needs", type=int, default=160)

    _add_dlq(sub)

    args = parser.parse_args(argv)
    if args.command == "up":
        from techmarket.extras import MissingExtra
        from techmarket.up import run_up

        try:
            return run_up(args.workdir or UpSettings().techmarket_home, seed=args.seed)
        except MissingExtra as missing:
            print(f"techmarket up: {missing}", file=sys.stderr)
            return 2
    if args.command == "migrate":
        return _migrate((args.service,) if args.service else SERVICES)
    if args.command == "token":
        return _token(args)
    if args.command == "replay":
        return asyncio.run(_replay(args.service, args.since, args.force))
    if args.command == "dlq":
        return asyncio.run(_dlq(args))
    if args.command == "seed":
        from techmarket.seed import run_seed

        try:
            return run_seed(offers=args.offers, needs=args.needs)
        except ValueError as refused:
            print(f"techmarket seed: {refused}", file=sys.stderr)
            return 2
    return 2


def _token(args: argparse.Namespace) -> int:
    settings = get_settings()
    try:
        print(mint_token(settings.tool_signing_secret(), role=args.role, region=args.region,
                         org=args.org, sub=args.sub, ttl_seconds=args.ttl, settings=settings))
    except ValueError as refused:
        print(f"techmarket token: {refused}", file=sys.stderr)
        return 2
    return 0


def _migrate(services: tuple[str, ...]) -> int:
    from sqlalchemy.engine import make_url

    from shared.migrations import migrate

    for service, url in zip(services, migrate(get_settings(), services), strict=True):
        print(f"{service}: migrated {make_url(url)}")  # the URL's str() hides the password
    return 0


async def _replay(service: str, since_text: str, force: bool) -> int:
    from shared.db import Database
    from shared.errors import Unprocessable
    from shared.logs import audit
    from shared.replay import check_window, mark_for_replay

    since = datetime.fromisoformat(since_text.replace("Z", "+00:00"))
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    try:
        check_window(since, force)
    except Unprocessable as refused:
        print(f"refused: {refused.detail} (--force)", file=sys.stderr)
        return 2
    database = await Database.open(get_settings().admin_database_url(service), size=1)
    try:
        async with database.unit() as db:
            count = await mark_for_replay(db, since)
    finally:
        await database.close()
    audit("outbox.replay", service=service, by="techmarket replay", since=since.isoformat(),
          forced=force, requeued=count)
    print(f"{service}: {count} events since {since.isoformat()} queued for re-publication")
    return 0


def _add_dlq(sub: Any) -> None:
    dlq = sub.add_parser("dlq", help="list and re-drive the consumers' dead letters")
    action = dlq.add_subparsers(dest="action", required=True)
    listing = action.add_parser("list", help="print each dead letter: where, consumer, event, "
                                "error")
    listing.add_argument("topic", nargs="?", help="e.g. listings.events (default: every topic)")
    again = action.add_parser("redrive", help="re-publish dead letters to their topic (the "
                              "consumers that applied them skip them by their inbox)")
    again.add_argument("topic", help="the topic they came from, e.g. listings.events")
    again.add_argument("--consumer", help="only those this consumer group gave up on")
    again.add_argument("--event-id", help="only those of this event")


async def _dlq(args: argparse.Namespace) -> int:
    from shared.kafka import Broker
    from shared.logs import audit
    from techmarket import dlq

    broker = Broker.of(get_settings())
    if args.action == "list":
        for topic in [args.topic] if args.topic else dlq.market_dlq_topics():
            for letter in await dlq.read_dead_letters(broker, topic):
                print(letter.describe())
        return 0
    outcome = await dlq.redrive(broker, args.topic, consumer=args.consumer,
                                event_id=args.event_id)
    for letter, why in outcome.refused:
        print(f"not re-driven {letter.position}: {why}", file=sys.stderr)
    for letter in outcome.republished:
        print(f"re-driven {letter.position} to {letter.topic}: "
              f"{letter.event_field('id')} {letter.event_field('type')}")
    audit("dlq.redrive", by="techmarket dlq", topic=args.topic, consumer=args.consumer,
          event_id=args.event_id, republished=len(outcome.republished),
          refused=len(outcome.refused))
    return 0


if __name__ == "__main__":
    sys.exit(main())
