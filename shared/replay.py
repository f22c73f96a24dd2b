"""Replay: re-publish a service's outbox from a point in time.

Marking rows unpublished hands them back to the relay, which publishes them again in their
original order. Consumers deduplicate by event id, so a replay is always safe; it is still
a heavy, privileged act: only the `admin` role may ask for it over HTTP, a replay further
back than `MAX_REPLAY_DAYS` must say `force`, and every one is written as an audit record.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends
from pydantic import AwareDatetime, BaseModel, ConfigDict, StrictBool, field_validator

from shared.auth import Principal, require
from shared.db import Db, affected
from shared.errors import FieldError, Unprocessable
from shared.logs import audit
from shared.transaction import Tx, transaction

MAX_REPLAY_DAYS = 30


async def mark_for_replay(db: Db, since: datetime) -> int:
    return affected(await db.execute(
        "UPDATE outbox SET published_at = NULL WHERE created_at >= $1", since))


class ReplayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: AwareDatetime
    # Needed to replay from further back than MAX_REPLAY_DAYS.
    force: StrictBool = False

    @field_validator("since", mode="before")
    @classmethod
    def _rfc3339_text(cls, value: object) -> object:
        if not isinstance(value, str):  # a number would be read as seconds since 1970
            raise ValueError("an RFC 3339 time with its zone, e.g. 2026-12-01T00:00:00Z")
        return value


class ReplayOut(BaseModel):
    since: datetime
    requeued: int


def check_window(since: datetime, force: bool) -> None:
    oldest = datetime.now(UTC) - timedelta(days=MAX_REPLAY_DAYS)
    if since < oldest and not force:
        raise Unprocessable(f"a replay reaches back at most {MAX_REPLAY_DAYS} days unless "
                            "forced", [FieldError("since", f"after {oldest.isoformat()}, "
                                                  'or say "force": true', "too_far_back")])


def replay_router(service: str) -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.post("/admin/replay", response_model=ReplayOut)
    async def replay(body: ReplayIn, tx: Tx = Depends(transaction),
                     who: Principal = Depends(require("admin"))) -> object:
        check_window(body.since, body.force)

        requeued: list[int] = []

        async def use_case(db: Db) -> ReplayOut:
            requeued.append(await mark_for_replay(db, body.since))
            return ReplayOut(since=body.since, requeued=requeued[-1])

        answer = await tx.run(use_case, principal=who)
        audit("outbox.replay", service=service, by=who.sub, role=who.role, region=who.region,
              since=body.since.isoformat(), forced=body.force,
              requeued=requeued[-1] if requeued else None)  # committed: run answered
        return answer

    return router
