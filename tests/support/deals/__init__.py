"""What the deals tests need around them: organisations (through the listings API), brokers,
offers and needs (produced onto `listings.events` as listings will emit them), and
registrable contracts that a test bends in one way."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from shared.china_time import today_in_china
from shared.events.catalogue import IntegrationEvent
from shared.events.envelope import new_envelope
from shared.events.listings import BrokerRegistered, NeedPublished, OfferPublished
from tests.support.data import organization
from tests.support.market import Market, auth, eventually

# Beijing's date: the deals service judges contracts by the registration day in China.
TODAY = today_in_china()


async def produce(market: Market, *events: IntegrationEvent) -> list[uuid.UUID]:
    """Put events on their topic exactly as the listings relay would; their ids."""
    ids = []
    async with market.producer() as producer:
        for event in events:
            envelope = new_envelope(event)
            await producer.send_and_wait(event.topic, value=envelope.to_bytes(),
                                         key=envelope.subject.encode())
            ids.append(envelope.id)
    return ids


async def consumed(market: Market, event_ids: list[uuid.UUID]) -> None:
    """Wait until the deals consumer has applied every one of these events."""
    async def all_in_inbox() -> bool:
        count = await market.fetchval("deals", "SELECT count(*) FROM inbox WHERE "
                                      "consumer='deals' AND "
                                      "event_id = ANY($1::uuid[])", event_ids)
        return bool(count == len(event_ids))

    await eventually(all_in_inbox)


async def replicated(market: Market, table: str, row_id: uuid.UUID) -> None:
    await eventually(lambda: market.fetch("deals", f"SELECT 1 FROM {table} WHERE id=$1",
                                          row_id))


async def new_organization(market: Market, region: str = "BJ", **fields: Any) -> uuid.UUID:
    async with market.client("listings") as client:
        created = await client.post("/organizations", json={**organization(region), **fields},
                                    headers=auth("operator", region))
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["id"])


@dataclass
class BrokerLogin:
    broker_id: uuid.UUID
    agency_org_id: uuid.UUID
    region: str

    @property
    def headers(self) -> dict[str, str]:
        return auth("broker", self.region, org=self.agency_org_id, sub=str(self.broker_id))


def broker_event(represents: list[uuid.UUID], region: str = "BJ",
                 broker_id: uuid.UUID | None = None, agency: uuid.UUID | None = None,
                 version: int = 1) -> BrokerRegistered:
    return BrokerRegistered(
        broker_id=str(broker_id or uuid.uuid4()), name="王经纪", region=region,
        certificate_no=f"JJR-{uuid.uuid4().hex[:8]}", agency_org_id=str(agency or uuid.uuid4()),
        represents=[str(o) for o in represents], registered_at=datetime.now(UTC),
        version=version)


async def new_broker(market: Market, represents: list[uuid.UUID],
                     region: str = "BJ") -> BrokerLogin:
    event = broker_event(represents, region)
    await produce(market, event)
    broker_id = uuid.UUID(event.broker_id)
    await replicated(market, "brokers", broker_id)
    return BrokerLogin(broker_id, uuid.UUID(event.agency_org_id), region)


def offer_event(owner: uuid.UUID, region: str = "BJ", status: str = "published",
                version: int = 2, offer_id: uuid.UUID | None = None) -> OfferPublished:
    return OfferPublished(
        offer_id=str(offer_id or uuid.uuid4()), owner_org_id=str(owner), kind="technology",
        title="高镍三元正极材料制备技术", industry="new_materials", trl=6, region=region,
        status=status, version=version, published_at=datetime.now(UTC))


def need_event(buyer: uuid.UUID, region: str = "HE", status: str = "published",
               version: int = 2, need_id: uuid.UUID | None = None) -> NeedPublished:
    return NeedPublished(
        need_id=str(need_id or uuid.uuid4()), buyer_org_id=str(buyer),
        title="正极材料工艺升级", industry="new_materials", region=region, status=status,
        version=version, published_at=datetime.now(UTC))


def document_hash() -> str:
    return hashlib.sha256(uuid.uuid4().bytes).hexdigest()


def contract(**changes: Any) -> dict[str, Any]:
    """A registrable patent-transfer contract (a fresh document each time)."""
    signed = TODAY - timedelta(days=10)
    return {
        "type": "transfer.patent",
        "signed_on": signed.isoformat(),
        "valid_from": signed.isoformat(),
        "valid_until": (TODAY + timedelta(days=365)).isoformat(),
        "total_fen": 1_200_000,
        "deductions": [{"item": "反应釜 1 台", "kind": "equipment", "amount_fen": 200_000}],
        "ip": [{"kind": "patent", "number": "ZL202310123456.7"}],
        "document_sha256": document_hash(),
        "subject": "一种高镍三元正极材料的制备方法专利权转让",
        "acceptance_criteria": "按专利说明书实施例小试三批合格",
        **changes,
    }


@dataclass
class Parties:
    """A seller and a buyer in two regions, with a broker representing both."""

    seller: uuid.UUID
    buyer: uuid.UUID
    seller_region: str
    buyer_region: str
    broker: BrokerLogin

    def deal(self, **changes: Any) -> dict[str, Any]:
        return {"seller_org_id": str(self.seller), "buyer_org_id": str(self.buyer),
                "title": "高镍正极材料专利转让", **changes}


async def new_parties(market: Market, seller_region: str = "BJ",
                      buyer_region: str = "HE") -> Parties:
    seller = await new_organization(market, seller_region, kind="institute", small_firm=False)
    buyer = await new_organization(market, buyer_region)
    broker = await new_broker(market, [seller, buyer], seller_region)
    return Parties(seller, buyer, seller_region, buyer_region, broker)


async def open_deal(market: Market, parties: Parties, **changes: Any) -> dict[str, Any]:
    async with market.client("deals") as client:
        opened = await client.post("/deals", json=parties.deal(**changes),
                                   headers=parties.broker.headers)
    assert opened.status_code == 201, opened.text
    return dict(opened.json())


async def signed_deal(market: Market, parties: Parties, **terms: Any) -> dict[str, Any]:
    deal = await open_deal(market, parties)
    async with market.client("deals") as client:
        signed = await client.post(f"/deals/{deal['id']}/contract", json=contract(**terms),
                                   headers=parties.broker.headers)
    assert signed.status_code == 200, signed.text
    return dict(signed.json())


async def registered_deal(market: Market, parties: Parties, **terms: Any) -> dict[str, Any]:
    deal = await signed_deal(market, parties, **terms)
    async with market.client("deals") as client:
        registered = await client.post(f"/deals/{deal['id']}/registration",
                                       headers=parties.broker.headers)
    assert registered.status_code == 200, registered.text
    return dict(registered.json())


async def footprint(market: Market) -> tuple[Any, ...]:
    """What a refused request must leave as it was: counts and versions of everything deals
    writes."""
    row = await market.fetch("deals", "SELECT (SELECT count(*) FROM deals), "
                             "(SELECT coalesce(sum(version), 0) FROM deals), "
                             "(SELECT count(*) FROM contracts), "
                             "(SELECT count(*) FROM registrations), "
                             "(SELECT count(*) FROM outbox), "
                             "(SELECT count(*) FROM idempotency_keys)")
    return tuple(row[0])


async def outbox_types(market: Market, deal_id: str) -> list[str]:
    rows = await market.fetch("deals", "SELECT type FROM outbox WHERE key=$1 ORDER BY id",
                              deal_id)
    return [r["type"] for r in rows]
