"""Benchmark of the deals service: the full deal path open → contract → register.

    .venv/bin/python bench/deals_registration.py [--seconds 30] [--concurrency 32]

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

import asyncpg
import httpx
import psutil
from aiokafka import AIOKafkaProducer

from services.listings.domain.credit_code import (
    make_credit_code,
    organisation_code_check_character,
)
from shared.auth import mint_token
from shared.events.envelope import new_envelope
from shared.events.listings import BrokerRegistered
from shared.settings import get_settings, plain_url
from techmarket.processes import free_port
from techmarket.stack import ServiceProcess, Stack, ephemeral_stack

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "deals_registration.json"
REGIONS = ("BJ", "TJ", "HE")
STEPS = ("open", "contract", "register")
TODAY = (datetime.now(UTC) + timedelta(hours=8)).date()


@dataclass
class Market:
    broker_headers: dict[str, str]
    pairs: list[tuple[str, str]]  # (seller, buyer) organisation ids, sellers in every region


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    path: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)
    registered: int = 0


def organization(region: str, n: int) -> dict[str, Any]:
    """A valid organisation of `region` (the credit code carries a correct check character)."""
    division = {"BJ": "110108", "TJ": "120116", "HE": "130102"}[region]
    body8 = f"MB{uuid.uuid4().int % 10**6:06d}"
    code = make_credit_code("91" + division + body8 + organisation_code_check_character(body8))
    return {"name": f"压测科技有限公司{region}{n}", "credit_code": code, "region": region,
            "kind": "enterprise", "small_firm": True}


def token(role: str, region: str, **claims: str) -> str:
    return mint_token(get_settings().techmarket_jwt_secret, role=role, region=region,
                      ttl_seconds=3600, **claims)


async def register_organizations(client: httpx.AsyncClient, per_region: int) -> dict[str, list]:
    made: dict[str, list[str]] = {r: [] for r in REGIONS}
    for region in REGIONS:
        headers = {"Authorization": f"Bearer {token('operator', region)}"}
        for n in range(per_region):
            created = await client.post("/organizations", json=organization(region, n),
                                        headers=headers)
            created.raise_for_status()
            made[region].append(created.json()["id"])
    return made


async def register_broker(stack: Stack, orgs: list[str]) -> tuple[str, str]:
    """(broker id, agency id): through listings' POST /brokers, else through the event."""
    operator = {"Authorization": f"Bearer {token('operator', 'BJ')}"}
    async with httpx.AsyncClient(base_url=stack.url("listings"), timeout=30) as client:
        agency_body = {**organization("BJ", 99), "kind": "broker_agency", "small_firm": False}
        made = await client.post("/organizations", json=agency_body, headers=operator)
        made.raise_for_status()
        agency = made.json()["id"]
        body = {"name": "压测经纪人", "certificate_no": "JJR-BENCH-0001", "region": "BJ",
                "agency_org_id": agency, "represents": orgs}
        created = await client.post("/brokers", json=body, headers=operator)
    if created.status_code == 201:
        return created.json()["id"], agency
    print(f"  POST /brokers answered {created.status_code}: producing broker.registered")
    event = BrokerRegistered(broker_id=str(uuid.uuid4()), registered_at=datetime.now(UTC),
                             **{k: v for k, v in body.items()})
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        envelope = new_envelope(event)
        await producer.send_and_wait(event.topic, envelope.to_bytes(),
                                     key=envelope.subject.encode())
    finally:
        await producer.stop()
    return event.broker_id, agency


async def wait_for_replica(stack: Stack, broker_id: str, orgs: list[str]) -> None:
    conn = await asyncpg.connect(plain_url(stack.service_database_url("deals")))
    try:
        for _ in range(600):
            brokers = await conn.fetchval("SELECT count(*) FROM brokers WHERE id=$1",
                                          uuid.UUID(broker_id))
            known = await conn.fetchval("SELECT count(*) FROM organizations WHERE id = "
                                        "ANY($1::uuid[])", orgs)
            if brokers and known == len(orgs):
                return
            await asyncio.sleep(0.1)
    finally:
        await conn.close()
    raise RuntimeError("the deals replica did not catch up with the broker and organisations")


async def prepare(stack: Stack, per_region: int) -> Market:
    async with httpx.AsyncClient(base_url=stack.url("listings"), timeout=30) as client:
        made = await register_organizations(client, per_region * 2)
    everyone = [o for region in REGIONS for o in made[region]]
    broker_id, agency = await register_broker(stack, everyone)
    await wait_for_replica(stack, broker_id, everyone)
    headers = {"Authorization": f"Bearer {token('broker', 'BJ', sub=broker_id, org=agency)}"}
    pairs = []
    for i in range(per_region):
        for seller_region, buyer_region in zip(REGIONS, REGIONS[1:] + REGIONS[:1], strict=True):
            pairs.append((made[seller_region][i], made[buyer_region][per_region + i]))
    return Market(headers, pairs)


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


async def one_deal(client: httpx.AsyncClient, market: Market, n: int, keys: bool,
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
        headers = dict(market.broker_headers)
        if keys:
            headers["Idempotency-Key"] = f"bench-{n}-{step}"
        t0 = time.perf_counter()
        answer = await client.post(path.format(id=deal_id), json=body, headers=headers)
        elapsed = time.perf_counter() - t0
        if answer.status_code not in (200, 201):
            if tally is not None:
                tally.failures[f"{step}:{answer.status_code}"] += 1
            return
        deal_id = deal_id or answer.json()["id"]
        if tally is not None:
            tally.latencies[step].append(elapsed)
    if tally is not None:
        tally.path.append(time.perf_counter() - started)
        tally.registered += 1


async def load(urls: list[str], market: Market, seconds: float, concurrency: int, keys: bool,
               tally: Tally | None, start_at: int) -> float:
    """`concurrency` brokers in a loop; broker i talks to replica i mod n, as behind a load
    balancer (every replica serves every deal: they share the database)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    counter = iter(range(start_at, 10**9))
    clients = [httpx.AsyncClient(base_url=url, timeout=60, limits=limits) for url in urls]
    deadline = time.perf_counter() + seconds

    async def broker_loop(client: httpx.AsyncClient) -> None:
        while time.perf_counter() < deadline:
            await one_deal(client, market, next(counter), keys, tally)

    try:
        began = time.perf_counter()
        await asyncio.gather(*(broker_loop(clients[i % len(clients)])
                               for i in range(concurrency)))
        return time.perf_counter() - began
    finally:
        for client in clients:
            await client.aclose()


def start_replicas(stack: Stack, extra: int) -> list[str]:
    """More deals processes on the same database and broker; their URLs, the first's first."""
    urls = [stack.url("deals")]
    for n in range(extra):
        port = free_port()
        env = {**stack.service_env(), "DEALS_PORT": str(port)}
        run_dir = stack.run_dir / f"deals-{n + 2}"
        process = ServiceProcess("deals", env, stack.log_dir / f"deals-{n + 2}.log", run_dir)
        process.start()
        stack.services[f"deals-{n + 2}"] = process
        urls.append(f"http://127.0.0.1:{port}")
    for url in urls:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            raise RuntimeError(f"deals replica {url} did not become ready")
    return urls


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {}
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100, method="inclusive")
    return {"p50_ms": q[49] * 1000, "p90_ms": q[89] * 1000, "p99_ms": q[98] * 1000,
            "max_ms": ordered[-1] * 1000, "n": len(ordered)}


def processes(stack: Stack) -> dict[str, psutil.Process]:
    found = {name: psutil.Process(proc.proc.pid) for name, proc in stack.services.items()
             if proc.proc}
    if stack.postgres and stack.postgres.proc:
        found["postgres"] = psutil.Process(stack.postgres.proc.pid)
    if stack.broker and getattr(stack.broker, "proc", None):
        found["broker"] = psutil.Process(stack.broker.proc.pid)
    found["load generator"] = psutil.Process(os.getpid())
    return found


def cpu_seconds(name: str, proc: psutil.Process) -> float:
    """CPU time of a process; postgres's and the broker's include their children (the
    backends), the load generator's not (the services are its children)."""
    family = [proc] if name == "load generator" else [proc, *proc.children(recursive=True)]
    total = 0.0
    for p in family:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def busy_seconds() -> float:
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))


async def gap_free(stack: Stack) -> dict[str, Any]:
    conn = await asyncpg.connect(plain_url(stack.service_database_url("deals")))
    try:
        rows = await conn.fetch("SELECT region_code, year, count(*) AS n, min(sequence) AS lo, "
                                "max(sequence) AS hi FROM registrations GROUP BY 1, 2")
        counters = {(r["region_code"], r["year"]): r["last_sequence"] for r in await conn.fetch(
            "SELECT region_code, year, last_sequence FROM registration_counters")}
    finally:
        await conn.close()
    regions = {f"{r['region_code']}/{r['year']}": {"registered": r["n"], "last": r["hi"]}
               for r in rows}
    ok = all(r["lo"] == 1 and r["hi"] == r["n"] == counters[(r["region_code"], r["year"])]
             for r in rows)
    return {"gap_free": ok, "by_region": regions}


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
             f"{result['concurrency']}, {result['deals_replicas']} deals replica(s), "
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
    parser.add_argument("--no-keys", dest="keys", action="store_false",
                        help="send no Idempotency-Key (clients normally send one)")
    args = parser.parse_args()
    print("starting a market (durable Postgres) ...", flush=True)
    began = time.monotonic()
    stack = ephemeral_stack(fast_postgres=False)
    try:
        print(f"  ready in {time.monotonic() - began:.1f}s", flush=True)
        result = asyncio.run(run(stack, args))
    finally:
        stack.stop()
    print(summary(result))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"written to {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
