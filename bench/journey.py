"""Journeys per second at the knee, and per-step p99 at 80% of it.

A journey is the whole market path of tests/support/journey.py (organisations, broker,
offer, need, deal, contract, program, voucher, reservation, registration, redemption,
completion: ~20 HTTP calls and ~25 events). Everything runs on this machine: Postgres, the
broker, the four services and this load generator.

1. Closed loop at rising concurrency (1, 2, 4, 8, 16, 32 journeys in flight), DURATION
   seconds each: journeys/s. The knee is the last level that still gained ≥ 10%.
2. Open loop at 80% of the knee's rate: p50/p99 per step.

    .venv/bin/python -m bench.journey [--duration 20]
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from typing import Any

from bench.common import BENCH_JWT_SECRET, percentile, write_results
from techmarket.stack import ephemeral_stack
from tests.support.journey import Api, open_program, run_journey

SERVICES = ("listings", "matching", "deals", "vouchers")
LEVELS = (1, 2, 4, 8, 16, 32)


async def closed_loop(api: Api, program: str, concurrency: int, duration: float) -> float:
    finished = 0
    stop_at = time.monotonic() + duration

    async def worker() -> None:
        nonlocal finished
        while time.monotonic() < stop_at:
            await run_journey(api, uuid.uuid4().hex[:12], program, wait_for_match=False)
            finished += 1

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return finished / (time.monotonic() - started)


async def open_loop(api: Api, program: str, rate: float, duration: float) -> dict[str, Any]:
    api.timings.steps.clear()
    tasks = []
    started = time.monotonic()
    for i in range(int(rate * duration)):
        await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
        tasks.append(asyncio.create_task(run_journey(api, uuid.uuid4().hex[:12], program,
                                                     wait_for_match=False)))
    await asyncio.gather(*tasks)
    return {step: {"p50_ms": round(percentile(v, 50) * 1000, 1),
                   "p99_ms": round(percentile(v, 99) * 1000, 1), "count": len(v)}
            for step, v in sorted(api.timings.steps.items())}


async def run(stack_urls: dict[str, str], duration: float) -> dict[str, Any]:
    api = Api(stack_urls, deadline_seconds=120)
    try:
        program = await open_program(api, "bench", budget_fen=10**13)
        await run_journey(api, "warm-up", program)  # consumer groups joined
        rates: dict[int, float] = {}
        knee = LEVELS[0]
        for level in LEVELS:
            rates[level] = await closed_loop(api, program, level, duration)
            print(f"  {level:2d} in flight: {rates[level]:.2f} journeys/s", flush=True)
            if level > LEVELS[0] and rates[level] < 1.1 * rates[knee]:
                break
            knee = level
        target = 0.8 * rates[knee]
        print(f"knee at {knee} in flight ({rates[knee]:.2f}/s); open loop at {target:.2f}/s",
              flush=True)
        steps = await open_loop(api, program, target, duration)
    finally:
        await api.close()
    return {"journeys_per_s": {str(k): round(v, 2) for k, v in rates.items()},
            "knee": {"in_flight": knee, "journeys_per_s": round(rates[knee], 2)},
            "at_80_percent": {"rate_per_s": round(target, 2), "steps": steps}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duration", type=float, default=20.0)
    args = parser.parse_args()
    stack = ephemeral_stack(fast_postgres=False, jwt_secret=BENCH_JWT_SECRET)
    try:
        figures = asyncio.run(run({s: stack.url(s) for s in SERVICES}, args.duration))
    finally:
        stack.stop()
    for step, f in figures["at_80_percent"]["steps"].items():
        print(f"  {step:22s} p50 {f['p50_ms']:7.1f} ms   p99 {f['p99_ms']:7.1f} ms")
    print(f"written to {write_results('journey', figures)}")


if __name__ == "__main__":
    main()
