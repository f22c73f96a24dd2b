"""Benchmark of the deals service: the full deal path open → contract → register.

    .venv/bin/python -m bench.deals_registration [--seconds 30] [--concurrency 32] [--workers 1]

Starts its own market (real, durable Postgres: fast_postgres=False), registers
organisations in three regions through the listings API and one broker representing them
(through POST /brokers when listings has it, else by producing `broker.registered`), then
runs `concurrency` brokers in a loop, each opening a deal, attaching a registrable contract
and registering it. Reports registrations/s, p50/p99 per step, the CPU each process used,
and checks the numbers are gap-free. Prints a summary and writes
bench/results/deals_registration.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import statistics
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from bench.common import BENCH_JWT_SECRET, busy_seconds, cpu_seconds, processes
from bench.deals_market import Market, gap_free, prepare, start_replicas
from bench.http_load import Connection
from shared.china_time import today_in_china
from techmarket.stack import Stack, ephemeral_stack

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "deals_registration.json"
STEPS = ("open", "contract", "register")
TODAY = today_in_china()


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    path: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    registered: int = 0


def contract_body(n: int) -> dict[str, Any]:
    signed = TODAY - timedelta(days=5)
    return {
        "type": "license.patent", "signed_on": signed.isoformat(),
        "valid_from": signed.isoformat(),
        "valid_until": (TODAY + timedelta(days=730)).isoformat(),
        "total_fen": 80_000_000 + n,
        "deductions": [{"item": "样机 1 台", "kind": "equipment", "amount_fen": 5_000_000}],
        "ip": [{"kind": "patent", "number": "ZL202410654321.X"}],
        "document_sha256": hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        "subject": "锂电池正极材料烧结工艺专利实施许可,含工艺参数包与现场指导",
        "acceptance_criteria": "连续三批产品振实密度达标",
    }


async def one_deal(connection: Connection, market: Market, n: int, keys: bool,
                   tally: Tally | None) -> None:
    seller, buyer = market.pairs[n % len(market.pairs)]
    steps = (
        ("open", "/deals", {"seller_org_id": seller, "buyer_org_id": buyer,
                            "title": f"压测交易 {n}"}),
        ("contract", "/deals/{id}/contract", contract_body(n)),
        ("register", "/deals/{id}/registration", None),
    )
    started = time.perf_counter()
    deal_id = ""
    for step, path, body in steps:
        headers = {**market.broker_headers, "Content-Type": "application/json"}
        if keys:
            headers["Idempotency-Key"] = f"bench-{n}-{step}"
        t0 = time.perf_counter()
        status, answer = await connection.request(
            "POST", path.format(id=deal_id), headers,
            orjson.dumps(body) if body is not None else None)
        elapsed = time.perf_counter() - t0
        if status not in (200, 201):
            if tally is not None:
                tally.failures[f"{step}:{status}"] += 1
            return
        deal_id = deal_id or orjson.loads(answer)["id"]
        if tally is not None:
            tally.latencies[step].append(elapsed)
    if tally is not None:
        tally.path.append(time.perf_counter() - started)
        tally.registered += 1


async def load(urls: list[str], market: Market, seconds: float, concurrency: int, keys: bool,
               tally: Tally | None, start_at: int) -> float:
    """`concurrency` brokers in a loop, each on its own keep-alive connection (the lean
    client of bench.http_load.py: the load shares the two cores with the market);
    broker i talks to replica i mod n, as behind a load balancer (every replica serves
    every deal: they share the database)."""
    counter = iter(range(start_at, 10**9))
    deadline = time.perf_counter() + seconds

    async def broker_loop(url: str) -> None:
        connection = Connection(url)
        try:
            while time.perf_counter() < deadline:
                await one_deal(connection, market, next(counter), keys, tally)
        finally:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(broker_loop(urls[i % len(urls)]) for i in range(concurrency)))
    return time.perf_counter() - began


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": q[49] * 1000, "p90_ms": q[89] * 1000, "p99_ms": q[98] * 1000,
            "max_ms": ordered[-1] * 1000, "n": len(ordered)}


async def run(stack: Stack, args: argparse.Namespace) -> dict[str, Any]:
    market = await prepare(stack, per_region=4)
    urls = start_replicas(stack, args.replicas - 1)
    print(f"warm-up {args.warmup:.0f}s ...", flush=True)
    await load(urls, market, args.warmup, args.concurrency, args.keys, None, 10**8)
    procs = processes(stack)
    cpu_before = {name: cpu_seconds(name, p) for name, p in procs.items()}
    machine_before = busy_seconds()
    tally = Tally()
    print(f"measuring {args.seconds:.0f}s at concurrency {args.concurrency} ...", flush=True)
    elapsed = await load(urls, market, args.seconds, args.concurrency, args.keys, tally, 0)
    cpu = {name: round((cpu_seconds(name, p) - cpu_before[name]) / elapsed, 3)
           for name, p in procs.items()}
    # Other people's processes on the same machine compete for the same cores: say how much.
    busy = (busy_seconds() - machine_before) / elapsed
    cpu["other processes on the machine"] = round(max(busy - sum(cpu.values()), 0.0), 3)
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "durable_postgres": True,
                    "load_average_1m_after": round(os.getloadavg()[0], 2)},
        "concurrency": args.concurrency, "deals_replicas": args.replicas,
        "deals_workers": args.workers,
        "seconds": round(elapsed, 2),
        "idempotency_keys": args.keys,
        "registrations": tally.registered,
        "registrations_per_second": round(tally.registered / elapsed, 1),
        "steps": {s: percentiles(tally.latencies[s]) for s in STEPS},
        "full_path": percentiles(tally.path),
        "failures": dict(tally.failures),
        "cpu_cores_used": cpu,
        # Independent of how busy the machine was: what one registration path costs.
        "cpu_ms_per_registration": {
            name: round(share * elapsed / max(tally.registered, 1) * 1000, 2)
            for name, share in cpu.items() if name != "other processes on the machine"},
        "numbering": await gap_free(stack),
    }


def summary(result: dict[str, Any]) -> str:
    lines = [f"registrations/s: {result['registrations_per_second']} "
             f"({result['registrations']} in {result['seconds']}s, concurrency "
             f"{result['concurrency']}, {result['deals_replicas']} deals replica(s) of "
             f"{result.get('deals_workers', 1)} worker(s), "
             f"idempotency keys {result['idempotency_keys']})"]
    for step, figures in [*result["steps"].items(), ("full path", result["full_path"])]:
        if figures:
            lines.append(f"  {step:9s} p50 {figures['p50_ms']:6.1f} ms  p99 "
                         f"{figures['p99_ms']:6.1f} ms  max {figures['max_ms']:6.1f} ms")
    lines.append(f"  failures: {result['failures'] or 'none'}")
    lines.append("  CPU cores used: " + ", ".join(
        f"{name} {share:.2f}" for name, share in sorted(result["cpu_cores_used"].items(),
                                                        key=lambda kv: -kv[1])))
    lines.append("  CPU ms per registration: " + ", ".join(
        f"{name} {ms:.1f}" for name, ms in sorted(result["cpu_ms_per_registration"].items(),
                                                   key=lambda kv: -kv[1])))
    lines.append(f"  numbering gap-free: {result['numbering']['gap_free']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--replicas", type=int, default=1,
                        help="deals processes behind the load generator (scale-out)")
    parser.add_argument("--workers", type=int, default=1,
                        help="DEALS_WORKERS: processes serving each deals port")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--no-keys", dest="keys", action="store_false",
                        help="send no Idempotency-Key (clients normally send one)")
    args = parser.parse_args()
    print("starting a market (durable Postgres) ...", flush=True)
    began = time.monotonic()
    stack = ephemeral_stack(fast_postgres=False, jwt_secret=BENCH_JWT_SECRET,
                            extra_env={"DEALS_WORKERS": str(args.workers)})
    try:
        print(f"  ready in {time.monotonic() - began:.1f}s", flush=True)
        result = asyncio.run(run(stack, args))
    finally:
        stack.stop()
    print(summary(result))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {args.output}")


if __name__ == "__main__":
    main()
