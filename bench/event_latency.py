"""Event latency: from the 201 of POST /organizations to the replica committed in deals.

5,000 organisations at a steady 50/s through the whole path (listings use case → outbox →
LISTEN/NOTIFY → relay → Kafka → deals consumer → inbox + replica commit), and in the same
run the raw aiokafka produce→consume latency on the same broker as the baseline.

    .venv/bin/python -m bench.event_latency [--events 5000] [--rate 50]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from datetime import datetime

import asyncpg
import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.common import BENCH_JWT_SECRET, percentile, write_results
from shared.auth import mint_token
from shared.settings import plain_url
from techmarket.stack import Stack, ephemeral_stack
from tests.support.data import organization


async def warm_up(stack: Stack, client: httpx.AsyncClient) -> None:
    """Wait until the deals consumer has joined its group and applies events."""
    response = await client.post("/organizations", json=organization("BJ"))
    org_id = uuid.UUID(response.json()["id"])
    conn = await asyncpg.connect(plain_url(stack.service_database_url("deals")))
    try:
        replicated = None
        while replicated is None:
            replicated = await conn.fetchval("SELECT 1 FROM organizations WHERE id=$1", org_id)
            await asyncio.sleep(0.1)
    finally:
        await conn.close()


async def market_latencies(stack: Stack, events: int, rate: float) -> list[float]:
    token = mint_token(BENCH_JWT_SECRET, role="broker", region="BJ", sub="bench")
    answered: dict[uuid.UUID, float] = {}
    async with httpx.AsyncClient(base_url=stack.url("listings"), timeout=30,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        await asyncio.wait_for(warm_up(stack, client), 60)
        start = time.monotonic()
        for i in range(events):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            response = await client.post("/organizations", json=organization("BJ"))
            response.raise_for_status()
            answered[uuid.UUID(response.json()["id"])] = time.time()
    conn = await asyncpg.connect(plain_url(stack.service_database_url("deals")))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows = await conn.fetch("SELECT id, replicated_at FROM organizations WHERE id = "
                                    "ANY($1::uuid[])", list(answered))
            if len(rows) == len(answered):
                break
            await asyncio.sleep(0.5)
    finally:
        await conn.close()
    committed: dict[uuid.UUID, datetime] = {r["id"]: r["replicated_at"] for r in rows}
    return [(committed[k].timestamp() - t) * 1000 for k, t in answered.items() if k in committed]


async def raw_latencies(bootstrap: str, events: int, rate: float) -> list[float]:
    topic = f"bench-raw-{uuid.uuid4().hex[:8]}"
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False,
                                acks="all", linger_ms=1)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=topic,
                                auto_offset_reset="earliest", fetch_max_wait_ms=10)
    await producer.start()
    await producer.send_and_wait(topic, b"warm-up")
    await consumer.start()
    latencies: list[float] = []

    async def consume() -> None:
        while len(latencies) < events:
            batch = await consumer.getmany(timeout_ms=100)
            now = time.time()
            for records in batch.values():
                latencies.extend((now - float(r.value)) * 1000 for r in records
                                 if r.value != b"warm-up")

    reader = asyncio.create_task(consume())
    start = time.monotonic()
    for i in range(events):
        await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
        await producer.send_and_wait(topic, str(time.time()).encode())
    await asyncio.wait_for(reader, 60)
    await consumer.stop()
    await producer.stop()
    return latencies


def summary(values: list[float]) -> dict[str, float]:
    return {"count": len(values), "p50_ms": round(percentile(values, 50), 2),
            "p99_ms": round(percentile(values, 99), 2), "max_ms": round(max(values), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=50.0)
    args = parser.parse_args()
    stack = ephemeral_stack(("listings", "deals"), fast_postgres=False,
                            jwt_secret=BENCH_JWT_SECRET)
    try:
        market = summary(asyncio.run(market_latencies(stack, args.events, args.rate)))
        raw = summary(asyncio.run(raw_latencies(stack.bootstrap, args.events, args.rate)))
    finally:
        stack.stop()
    figures = {"events": args.events, "rate_per_s": args.rate, "market": market,
               "raw_aiokafka": raw, "p99_ratio": round(market["p99_ms"] / raw["p99_ms"], 2),
               "targets": {"p99_ms": 50, "p99_ratio": 3}}
    print(f"market  201 → deals replica committed: p50 {market['p50_ms']} ms, "
          f"p99 {market['p99_ms']} ms ({market['count']} events)")
    print(f"raw     aiokafka produce → consume:     p50 {raw['p50_ms']} ms, "
          f"p99 {raw['p99_ms']} ms")
    print(f"p99 ratio market/raw: {figures['p99_ratio']}  (targets: p99 ≤ 50 ms, ratio ≤ 3)")
    print(f"written to {write_results('event_latency', figures)}")


if __name__ == "__main__":
    main()
