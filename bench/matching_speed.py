"""Speed of the matching service at 100,000 offers (issue 4), through the running service.

1. Catch-up: with the matching process stopped, 100,000 offer.published events (the
   demonstration market's offer generator, `techmarket.seed_data.iter_offers`) are put on
   `listings.events`; then matching starts and we time how long until every offer is in
   its read model and its index (the /metrics gauge, checked against the database).
2. 500 needs are published the same way (each computes its match suggestions).
3. GET /needs/{id}/matches at concurrency 8 for `--seconds` (and at concurrency 1 for half
   as long): p50 / p95 / p99, and the service's CPU time per request; POST /search the
   same way for comparison.
4. Resident memory of the matching processes (psutil): peak while catching up, at the end,
   and after a restart, which also times the start-up rebuild from the database.

    .venv/bin/python -m bench.matching_speed [--offers 100000] [--needs 500] [--seconds 30]

Prints the figures and writes bench/results/matching_speed.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import orjson

from bench.common import BENCH_JWT_SECRET, percentile, write_results
from bench.http_load import run_load
from bench.matching_stack import Watch, cpu_seconds, produce, rss_mb
from shared.auth import mint_token
from shared.events.listings import NeedPublished, OfferPublished
from shared.settings import plain_url
from techmarket.seed_data import build_market, iter_needs, iter_offers
from techmarket.stack import Stack, ephemeral_stack

SEED = 2015
QUERIES = ["锂电池正极材料", "污水处理 膜生物反应器", "工业机器人视觉检测", "钢渣综合利用",
           "新能源汽车 电池热管理", "检测服务 CMA", "石墨烯导热膜", "智慧旅游 导览"]


class Market:
    """The demonstration market's organisations, with ids, and listings generated for them."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.world = build_market(today, seed=SEED, offers=0, needs=0)
        self.ids = {org["ref"]: str(uuid.uuid4()) for org in self.world.organizations}
        self.regions = {org["ref"]: org["region"] for org in self.world.organizations}
        self.rng = random.Random(SEED)

    def offers(self, count: int) -> Iterator[OfferPublished]:
        for record in iter_offers(count, seed=SEED, today=self.today,
                                  owners=self.world.organizations, brokers=self.world.brokers):
            owner = record["owner_org_ref"]
            yield OfferPublished(
                offer_id=str(uuid.uuid4()), owner_org_id=self.ids[owner],
                region=self.regions[owner],
                status="published", version=2, published_at=self._published(),
                **{k: record[k] for k in ("kind", "title", "summary", "description", "industry",
                                          "keywords", "trl", "ip", "modes", "asking_price_fen",
                                          "valid_until")})

    def needs(self, count: int) -> Iterator[NeedPublished]:
        for record in iter_needs(count, seed=SEED + 1, today=self.today,
                                 buyers=self.world.organizations, brokers=self.world.brokers):
            buyer = record["buyer_org_ref"]
            yield NeedPublished(
                need_id=str(uuid.uuid4()), buyer_org_id=self.ids[buyer],
                region=self.regions[buyer],
                status="published", version=2, published_at=self._published(),
                **{k: record[k] for k in ("title", "description", "industry", "keywords",
                                          "min_trl", "budget_min_fen", "budget_max_fen",
                                          "cross_region_ok", "modes", "deadline")})

    def _published(self) -> datetime:
        return datetime.now(UTC) - timedelta(days=self.rng.randint(0, 720))


async def read_model_count(stack: Stack, table: str) -> int:
    conn = await asyncpg.connect(plain_url(stack.service_database_url("matching")))
    try:
        return int(await conn.fetchval(f"SELECT count(*) FROM {table} WHERE status='published'"))
    finally:
        await conn.close()


def catch_up(stack: Stack, watch: Watch, market: Market, count: int) -> dict[str, Any]:
    stack.services["matching"].stop()
    started = time.perf_counter()
    produced = asyncio.run(produce(stack.bootstrap, market.offers(count)))
    produce_seconds = time.perf_counter() - started
    stack.services["matching"].start()
    seconds = watch.until_indexed("offer", count, timeout=3600)
    in_read_model = asyncio.run(read_model_count(stack, "offers"))
    return {"offers": produced, "produce_seconds": round(produce_seconds, 1),
            "seconds_from_process_start": round(seconds, 1),
            "offers_per_second": round(count / seconds, 1),
            "in_read_model": in_read_model, "peak_rss_mb": round(watch.peak_rss_mb, 1)}


def latency(stack: Stack, concurrency: int, seconds: float, request: Any) -> dict[str, Any]:
    """Closed loop: `concurrency` clients sending back to back. The service's CPU time per
    request is the cost of an answer whatever else runs on the machine."""
    url = stack.url("matching")
    asyncio.run(run_load(url, concurrency, 3, request, 200))  # warm-up
    cpu_before, client_before = cpu_seconds(stack), time.process_time()
    load = asyncio.run(run_load(url, concurrency, seconds, request, 200))
    cpu = cpu_seconds(stack) - cpu_before
    client = time.process_time() - client_before
    ms = load.latencies_ms
    return {"requests": len(ms), "per_second": round(len(ms) / load.seconds, 1),
            "service_cpu_ms_per_request": round(1000 * cpu / len(ms), 2),
            "load_generator_cpu_ms_per_request": round(1000 * client / len(ms), 2),
            "p50_ms": round(percentile(ms, 50), 2), "p95_ms": round(percentile(ms, 95), 2),
            "p99_ms": round(percentile(ms, 99), 2),
            "statuses": {str(k): v for k, v in load.statuses.items()},
            "errors": load.errors}


def need_requests(need_ids: list[str], token: str) -> Any:
    headers = {"Authorization": f"Bearer {token}"}

    def next_request(worker: int, n: int) -> tuple[str, str, dict[str, str], None]:
        need_id = need_ids[(worker * 7919 + n) % len(need_ids)]
        return "GET", f"/needs/{need_id}/matches", headers, None

    return next_request


def search_requests(token: str) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    bodies = [orjson.dumps({"text": q}) for q in QUERIES]

    def next_request(worker: int, n: int) -> tuple[str, str, dict[str, str], bytes]:
        return "POST", "/search", headers, bodies[(worker + n) % len(bodies)]

    return next_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2,
                        help="MATCHING_WORKERS: processes, each a replica with its own index")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    market = Market(date.today())
    stack = ephemeral_stack(("matching",), fast_postgres=False, jwt_secret=BENCH_JWT_SECRET,
                            extra_env={"MATCHING_WORKERS": str(args.workers)})
    try:
        watch = Watch(stack)
        watch.workers = args.workers
        caught_up = catch_up(stack, watch, market, args.offers)
        needs = list(market.needs(args.needs))
        asyncio.run(produce(stack.bootstrap, needs))
        needs_seconds = watch.until_indexed("need", len(needs), timeout=600)
        token = mint_token(BENCH_JWT_SECRET, role="broker", region="BJ")
        ids = [need.need_id for need in needs]
        alone = latency(stack, 1, args.seconds / 2, need_requests(ids, token))
        need_matches = latency(stack, args.concurrency, args.seconds, need_requests(ids, token))
        search = latency(stack, args.concurrency, args.seconds, search_requests(token))
        rss_end = rss_mb(stack)
        restart_seconds = watch.restart()
        rss_rebuilt = rss_mb(stack)
    finally:
        stack.stop()
    figures = {
        "load_average_before_after": [load_before, os.getloadavg()[0]],
        "matching_workers": args.workers,
        "catch_up": caught_up,
        "needs": {"count": len(needs), "seconds_until_indexed": round(needs_seconds, 1)},
        "need_matches_concurrency_1": alone,
        f"need_matches_concurrency_{args.concurrency}": need_matches,
        f"search_concurrency_{args.concurrency}": search,
        "rss_mb": {"peak": round(watch.peak_rss_mb, 1), "end": round(rss_end, 1),
                   "after_restart": round(rss_rebuilt, 1)},
        "restart_rebuild_seconds_until_ready": round(restart_seconds, 1),
        "targets": {"catch_up_offers_per_second": 1000, "need_matches_p95_ms": 30,
                    "rss_mb": 1536},
    }
    path = write_results("matching_speed", figures)
    print(orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode())
    print(f"written to {path}")


if __name__ == "__main__":
    main()
