"""What the vouchers tests (and the ledger benchmark) need around a running vouchers service.

Organisations and deals reach vouchers only as events, so the world produces them itself:
`organization.registered` on listings.events and `deal.*` on deals.events, exactly as the
listings and deals services would (CloudEvents built by shared.events.envelope), then waits
until the vouchers replica has them.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer

from shared.auth import mint_token
from shared.events.catalogue import IntegrationEvent
from shared.events.deals import (
    DealCompleted,
    DealRegistered,
    DealSigned,
    DealTerminated,
)
from shared.events.envelope import CloudEvent, new_envelope
from shared.events.listings import OrganizationRegistered
from shared.settings import plain_url
from tests.support.market import TEST_JWT_SECRET

_serial = itertools.count(int(time.time() * 1000) % 10**7)


def token(role: str, region: str, org: uuid.UUID | str | None = None) -> str:
    return mint_token(TEST_JWT_SECRET, role=role, region=region,
                      org=str(org) if org else None, ttl_seconds=3600)


def operator(region: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token('operator', region)}"}


def administrator() -> dict[str, str]:
    """Sees every region's settlements and the whole ledger (an operator sees its own)."""
    return {"Authorization": f"Bearer {token('admin', 'BJ')}"}


def enterprise(org: uuid.UUID, region: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token('enterprise', region, org)}"}


@dataclass(frozen=True)
class DealFacts:
    deal_id: uuid.UUID
    seller_org_id: uuid.UUID
    buyer_org_id: uuid.UUID
    seller_region: str
    buyer_region: str
    contract_type: str
    total_fen: int
    tech_amount_fen: int

    def parties(self) -> dict[str, Any]:
        return {"deal_id": str(self.deal_id), "seller_org_id": str(self.seller_org_id),
                "buyer_org_id": str(self.buyer_org_id), "seller_region": self.seller_region,
                "buyer_region": self.buyer_region}

    def terms(self) -> dict[str, Any]:
        return {**self.parties(), "contract_type": self.contract_type,
                "total_fen": self.total_fen, "tech_amount_fen": self.tech_amount_fen,
                "signed_on": date(2026, 3, 1), "valid_until": date(2027, 3, 1)}


class VouchersWorld:
    def __init__(self, url: str, bootstrap: str, database_url: str) -> None:
        self.url = url
        self.bootstrap = bootstrap
        self.database_url = plain_url(database_url)
        self.producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False,
                                         linger_ms=1)
        self.sent: list[CloudEvent] = []  # every envelope produced, in order (for replays)

    async def start(self) -> None:
        await self.producer.start()

    async def stop(self) -> None:
        await self.producer.stop()

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, timeout=60, **kwargs)

    # -- events ---------------------------------------------------------------------------

    async def publish(self, event: IntegrationEvent) -> CloudEvent:
        envelope = new_envelope(event)
        await self.send(envelope, event.topic)
        return envelope

    async def send(self, envelope: CloudEvent, topic: str) -> None:
        await self.producer.send_and_wait(topic, envelope.to_bytes(),
                                          key=envelope.subject.encode())
        self.sent.append(envelope)

    async def organization(self, region: str, *, small_firm: bool = True,
                           kind: str = "enterprise", wait: bool = True,
                           org_id: uuid.UUID | None = None) -> uuid.UUID:
        org_id = org_id or uuid.uuid4()
        await self.publish(OrganizationRegistered(
            organization_id=str(org_id), name=f"测试机构{next(_serial)}",
            credit_code=f"91{next(_serial):016d}"[:18], region=region, kind=kind,
            small_firm=small_firm, registered_at=datetime.now(UTC)))
        if wait:
            await self.wait_for("SELECT 1 FROM organizations WHERE id = $1", org_id)
        return org_id

    async def sign(self, seller: uuid.UUID, seller_region: str, buyer: uuid.UUID,
                   buyer_region: str, *, tech_amount_fen: int = 1_000_000,
                   contract_type: str = "service.technical", wait: bool = True) -> DealFacts:
        deal = DealFacts(uuid.uuid4(), seller, buyer, seller_region, buyer_region,
                         contract_type, tech_amount_fen + 10_000, tech_amount_fen)
        await self.publish(DealSigned(**deal.terms()))
        if wait:
            await self.wait_deal(deal.deal_id, "signed")
        return deal

    async def register(self, deal: DealFacts, wait: bool = True) -> None:
        await self.publish(DealRegistered(**deal.terms(), registration_no=f"{next(_serial):016d}",
                                          registered_on=date(2026, 3, 2)))
        if wait:
            await self.wait_deal(deal.deal_id, "registered")

    async def terminate(self, deal: DealFacts, wait: bool = True) -> None:
        await self.publish(DealTerminated(**deal.parties(), reason="test",
                                          previous_status="signed",
                                          terminated_at=datetime.now(UTC)))
        if wait:
            await self.wait_deal(deal.deal_id, "terminated")

    async def complete(self, deal: DealFacts, wait: bool = True) -> None:
        await self.publish(DealCompleted(**deal.parties(), completed_at=datetime.now(UTC)))
        if wait:
            await self.wait_deal(deal.deal_id, "completed")

    async def wait_deal(self, deal_id: uuid.UUID, status: str) -> None:
        await self.wait_for("SELECT 1 FROM deals WHERE id = $1 AND status = $2", deal_id, status)

    # -- the database (to wait for the replica, and to look behind the API) ----------------

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await asyncpg.connect(self.database_url)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def fetchval(self, sql: str, *args: Any) -> Any:
        rows = await self.fetch(sql, *args)
        return rows[0][0] if rows else None

    async def wait_for(self, sql: str, *args: Any, timeout: float = 30) -> Any:
        deadline = time.monotonic() + timeout
        conn = await asyncpg.connect(self.database_url)
        try:
            while True:
                value = await conn.fetchval(sql, *args)
                if value:
                    return value
                if time.monotonic() > deadline:
                    raise AssertionError(f"not within {timeout}s: {sql} {args}")
                await asyncio.sleep(0.02)
        finally:
            await conn.close()

    # -- the API ------------------------------------------------------------------------

    async def open_program(self, client: httpx.AsyncClient, region: str, **terms: Any
                           ) -> dict[str, Any]:
        body = program_body(region, **terms)
        response = await client.post("/programs", json=body, headers=operator(region))
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def issue(self, client: httpx.AsyncClient, program: dict[str, Any],
                    org: uuid.UUID, amount_fen: int) -> dict[str, Any]:
        response = await client.post(f"/programs/{program['id']}/vouchers",
                                     json={"enterprise_org_id": str(org),
                                           "amount_fen": amount_fen},
                                     headers=operator(program["issuer_region"]))
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    async def reserve(self, client: httpx.AsyncClient, voucher: dict[str, Any],
                      deal: DealFacts, amount_fen: int,
                      provider: uuid.UUID | None = None) -> httpx.Response:
        body = {"deal_id": str(deal.deal_id),
                "provider_org_id": str(provider or deal.seller_org_id), "amount_fen": amount_fen}
        return await client.post(f"/vouchers/{voucher['id']}/reservations", json=body,
                                 headers=enterprise(uuid.UUID(voucher["enterprise_org_id"]),
                                                    voucher["issuer_region"]))

    async def redeem(self, client: httpx.AsyncClient, reservation: dict[str, Any],
                     amount_fen: int) -> httpx.Response:
        return await client.post(f"/reservations/{reservation['id']}/redeem",
                                 json={"amount_fen": amount_fen},
                                 headers=enterprise(uuid.UUID(reservation["enterprise_org_id"]),
                                                    reservation["issuer_region"]))

    async def release(self, client: httpx.AsyncClient, reservation: dict[str, Any],
                      by_operator: bool = False) -> httpx.Response:
        headers = (operator(reservation["issuer_region"]) if by_operator else
                   enterprise(uuid.UUID(reservation["enterprise_org_id"]),
                              reservation["issuer_region"]))
        return await client.post(f"/reservations/{reservation['id']}/release", headers=headers)

    async def voucher(self, client: httpx.AsyncClient, voucher_id: str) -> dict[str, Any]:
        response = await client.get(f"/vouchers/{voucher_id}",
                                    headers=operator(await self._region(voucher_id)))
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]

    async def _region(self, voucher_id: str) -> str:
        return str(await self.fetchval("SELECT issuer_region FROM vouchers WHERE id = $1",
                                       uuid.UUID(voucher_id)))

    async def ledger_check(self, client: httpx.AsyncClient) -> dict[str, Any]:
        response = await client.get("/ledger/check", headers=administrator())
        assert response.status_code == 200, response.text
        return response.json()  # type: ignore[no-any-return]


def program_body(region: str, **terms: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "issuer_region": region, "name": f"创新券 {next(_serial)}", "year": now.year,
        "budget_fen": 100_000_000, "max_share_bp": 5_000,
        "cap_per_enterprise_fen": 5_000_000,
        "eligible_contract_types": ["service.technical", "development.commissioned",
                                    "consulting"],
        "recognized_regions": ["BJ", "TJ", "HE"],
        "use_by": (now + timedelta(days=200)).isoformat(),
        "redeem_by": (now + timedelta(days=300)).isoformat()}
    body.update(terms)
    return body
