"""Seeding the vouchers benchmark's market the way the other services would: events for
organisations and registered contracts, the HTTP API for the program and its vouchers."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from bench.common import BENCH_JWT_SECRET
from shared.auth import mint_token
from shared.events.catalogue import IntegrationEvent
from shared.events.deals import DealRegistered, DealSigned
from shared.events.envelope import new_envelope
from shared.events.listings import OrganizationRegistered
from shared.settings import plain_url
from techmarket.stack import Stack

VOUCHERS, LABS = 1_000, 50


@dataclass(frozen=True)
class Seeded:
    voucher_id: str
    deal_id: str
    lab_id: str
    token: str


def bearer(role: str, org: str | None = None) -> dict[str, str]:
    token = mint_token(BENCH_JWT_SECRET, role=role, region="HE", org=org, ttl_seconds=7200)
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


def organizations(region: str, count: int, kind: str, small: bool) -> list[Any]:
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
        firms = organizations("HE", VOUCHERS, "enterprise", True)
        labs = organizations("BJ", LABS, "lab", False)
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
