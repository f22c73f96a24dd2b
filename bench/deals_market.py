"""The market a deals benchmark runs against, and how it measures it.

Organisations in three regions (through the listings API), one broker representing them
(POST /brokers, or its `broker.registered` event when listings has no such route), extra
deals replicas for scale-out runs, the CPU each process uses, and a gap-free check of the
registration numbers afterwards.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from bench.common import BENCH_JWT_SECRET
from services.listings.domain.credit_code import (
    make_credit_code,
    organization_code_check_character,
)
from shared.auth import mint_token
from shared.events.envelope import new_envelope
from shared.events.listings import BrokerRegistered
from shared.settings import plain_url
from techmarket.processes import free_port
from techmarket.stack import ServiceProcess, Stack

REGIONS = ("BJ", "TJ", "HE")


@dataclass
class Market:
    broker_headers: dict[str, str]
    pairs: list[tuple[str, str]]  # (seller, buyer) organisation ids, sellers in every region


def organization(region: str, n: int) -> dict[str, Any]:
    """A valid organisation of `region` (the credit code carries a correct check character)."""
    division = {"BJ": "110108", "TJ": "120116", "HE": "130102"}[region]
    body8 = f"MB{uuid.uuid4().int % 10**6:06d}"
    code = make_credit_code("91" + division + body8 + organization_code_check_character(body8))
    return {"name": f"压测科技有限公司{region}{n}", "credit_code": code, "region": region,
            "kind": "enterprise", "small_firm": True}


def token(role: str, region: str, **claims: str) -> str:
    return mint_token(BENCH_JWT_SECRET, role=role, region=region,
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


def start_replicas(stack: Stack, extra: int) -> list[str]:
    """More deals processes on the same database and broker; their URLs, the first's first."""
    urls = [stack.url("deals")]
    for n in range(extra):
        port = free_port()
        env = {**stack.service_env("deals"), "DEALS_PORT": str(port)}
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
