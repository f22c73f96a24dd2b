"""The consumer of deals.events, fed with events this test produces onto the topic itself:
deal.opened → in_deal, deal.terminated → published again, deal.completed → transacted /
fulfilled; each move is announced on the outbox, and a duplicate delivery moves nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from shared.events.catalogue import IntegrationEvent
from shared.events.deals import TOPIC, DealCompleted, DealOpened, DealTerminated
from shared.events.envelope import CloudEvent, new_envelope
from tests.support.listings import broker_desk, events_of, need_body, offer_body, published
from tests.support.market import Market, eventually


@pytest.fixture(scope="module")
async def producer(market: Market) -> AsyncIterator[AIOKafkaProducer]:
    async with market.producer() as kafka:
        yield kafka


async def send(producer: AIOKafkaProducer, event: IntegrationEvent | CloudEvent) -> CloudEvent:
    envelope = event if isinstance(event, CloudEvent) else new_envelope(event)
    await producer.send_and_wait(TOPIC, envelope.to_bytes(), key=envelope.subject.encode())
    return envelope


def parties(deal_id: str, offer: dict[str, Any] | None, need: dict[str, Any] | None,
            ) -> dict[str, Any]:
    return {"deal_id": deal_id, "offer_id": offer["id"] if offer else None,
            "need_id": need["id"] if need else None,
            "seller_org_id": offer["owner_org_id"] if offer else str(uuid.uuid4()),
            "buyer_org_id": need["buyer_org_id"] if need else str(uuid.uuid4()),
            "seller_region": "BJ", "buyer_region": "HE"}


def opened(deal_id: str, offer: dict[str, Any] | None, need: dict[str, Any] | None
           ) -> DealOpened:
    return DealOpened(**parties(deal_id, offer, need), broker_id=str(uuid.uuid4()),
                      title="正极材料技术许可", opened_at=datetime.now(UTC))


def terminated(deal_id: str, offer: dict[str, Any] | None, need: dict[str, Any] | None
               ) -> DealTerminated:
    return DealTerminated(**parties(deal_id, offer, need), reason="价格未谈拢",
                          previous_status="negotiating", terminated_at=datetime.now(UTC))


def completed(deal_id: str, offer: dict[str, Any] | None, need: dict[str, Any] | None
              ) -> DealCompleted:
    return DealCompleted(**parties(deal_id, offer, need), completed_at=datetime.now(UTC))


async def status_of(market: Market, table: str, listing: dict[str, Any]) -> str:
    return str(await market.fetchval("listings", f"SELECT status FROM {table} WHERE id=$1",
                                     uuid.UUID(listing["id"])))


async def reaches(market: Market, table: str, listing: dict[str, Any], status: str) -> None:
    async def check() -> bool:
        return await status_of(market, table, listing) == status

    await eventually(check, timeout=45)


@pytest.fixture
async def pair(market: Market) -> tuple[dict[str, Any], dict[str, Any], Any]:
    desk = await broker_desk(market, "BJ", kinds=("university", "enterprise"))
    offer = await published(market, "/offers", offer_body(desk.clients[0]), desk.headers)
    need = await published(market, "/needs", need_body(desk.clients[1]), desk.headers)
    return offer, need, desk


async def test_deal_moves_offer_and_need_in_and_back_then_to_the_end(
        market: Market, producer: AIOKafkaProducer, pair: Any) -> None:
    offer, need, desk = pair
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    cause = await send(producer, opened(first, offer, need))
    await reaches(market, "offers", offer, "in_deal")
    await reaches(market, "needs", need, "in_deal")
    async with market.client("listings") as client:
        withdraw = await client.post(f"/offers/{offer['id']}/withdraw", headers=desk.headers)
    assert withdraw.status_code == 409 and "in_deal" in withdraw.json()["detail"]

    await send(producer, terminated(first, offer, need))
    await reaches(market, "offers", offer, "published")
    await reaches(market, "needs", need, "published")

    await send(producer, opened(second, offer, need))
    await reaches(market, "offers", offer, "in_deal")
    await send(producer, completed(second, offer, need))
    await reaches(market, "offers", offer, "transacted")
    await reaches(market, "needs", need, "fulfilled")

    offer_events = await events_of(market, offer["id"])
    assert [kind for kind, _ in offer_events] == [
        "offer.published", "offer.in_deal", "offer.published", "offer.in_deal",
        "offer.transacted"]
    assert offer_events[1][1]["deal_id"] == first and offer_events[4][1]["deal_id"] == second
    assert [kind for kind, _ in await events_of(market, need["id"])] == [
        "need.published", "need.in_deal", "need.published", "need.in_deal", "need.fulfilled"]
    causation = await market.fetchval(
        "listings", "SELECT envelope->>'causationid' FROM outbox WHERE key=$1 AND "
        "type='offer.in_deal' ORDER BY id LIMIT 1", offer["id"])
    assert causation == str(cause.id)


async def test_a_redelivered_event_moves_nothing_twice(
        market: Market, producer: AIOKafkaProducer, pair: Any) -> None:
    offer, need, _ = pair
    deal = str(uuid.uuid4())
    envelope = await send(producer, opened(deal, offer, None))
    await reaches(market, "offers", offer, "in_deal")
    await send(producer, envelope)  # the same event id again
    await send(producer, terminated(deal, offer, None))
    await reaches(market, "offers", offer, "published")
    assert [kind for kind, _ in await events_of(market, offer["id"])] == [
        "offer.published", "offer.in_deal", "offer.published"]
    assert await status_of(market, "needs", need) == "published"


async def test_events_that_do_not_fit_change_nothing(
        market: Market, producer: AIOKafkaProducer, pair: Any) -> None:
    offer, need, _ = pair
    stranger_deal, real_deal = str(uuid.uuid4()), str(uuid.uuid4())
    unknown = {"id": str(uuid.uuid4()), "owner_org_id": offer["owner_org_id"]}
    sent = [await send(producer, opened(stranger_deal, unknown, None)),  # offer unknown here
            await send(producer, completed(stranger_deal, offer, need)),  # not their deal
            await send(producer, opened(real_deal, None, need))]  # later events still flow
    await reaches(market, "needs", need, "in_deal")
    assert await status_of(market, "offers", offer) == "published"
    consumed = await market.fetchval(
        "listings", "SELECT count(*) FROM inbox WHERE consumer='listings' AND "
        "event_id = ANY($1::uuid[])", [envelope.id for envelope in sent])
    assert consumed == 3  # handled, none sent to the dead-letter topic
