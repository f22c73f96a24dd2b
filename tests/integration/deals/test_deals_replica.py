"""The replica of listings in deals, kept from `listings.events` through the inbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from shared.events.listings import (
    BrokerUpdated,
    NeedFulfilled,
    OfferInDeal,
    OfferUpdated,
    OfferWithdrawn,
)
from tests.support.deals import (
    broker_event,
    consumed,
    need_event,
    new_parties,
    offer_event,
    produce,
    replicated,
)
from tests.support.market import Market, eventually


async def _status(market: Market, table: str, row_id: uuid.UUID) -> tuple[str, int] | None:
    rows = await market.fetch("deals", f"SELECT status, version FROM {table} WHERE id=$1",
                              row_id)
    return (rows[0]["status"], rows[0]["version"]) if rows else None


async def test_offers_follow_their_events_and_a_deal_needs_a_published_one(
        market: Market) -> None:
    parties = await new_parties(market)
    published = offer_event(parties.seller, version=2)
    offer_id = uuid.UUID(published.offer_id)
    await produce(market, published)
    await replicated(market, "offers", offer_id)
    async with market.client("deals") as client:
        opened = await client.post("/deals", json=parties.deal(offer_id=str(offer_id)),
                                   headers=parties.broker.headers)
        assert opened.status_code == 201, opened.text
        assert opened.json()["offer_id"] == str(offer_id)
        await produce(market, OfferInDeal(offer_id=str(offer_id), status="in_deal", version=3,
                                          deal_id=opened.json()["id"],
                                          changed_at=datetime.now(UTC)))
        await eventually(lambda: _is(market, "offers", offer_id, ("in_deal", 3)))
        second = await client.post("/deals", json=parties.deal(offer_id=str(offer_id)),
                                   headers=parties.broker.headers)
    assert second.status_code == 409 and "in_deal" in second.json()["detail"]


async def test_an_older_event_never_overwrites_a_newer_state(market: Market) -> None:
    parties = await new_parties(market)
    offer_id = uuid.uuid4()
    updated = OfferUpdated(**{**offer_event(parties.seller, offer_id=offer_id, version=5)
                              .model_dump(), "title": "第五版"})
    stale = OfferWithdrawn(offer_id=str(offer_id), status="withdrawn", version=4,
                           changed_at=datetime.now(UTC))
    late_snapshot = offer_event(parties.seller, offer_id=offer_id, version=3)
    await consumed(market, await produce(market, updated, stale, late_snapshot))
    assert await _status(market, "offers", offer_id) == ("published", 5)
    title = await market.fetchval("deals", "SELECT title FROM offers WHERE id=$1", offer_id)
    assert title == "第五版"


async def test_needs_follow_their_events(market: Market) -> None:
    parties = await new_parties(market)
    need = need_event(parties.buyer, version=2)
    need_id = uuid.UUID(need.need_id)
    await produce(market, need)
    await replicated(market, "needs", need_id)
    async with market.client("deals") as client:
        opened = await client.post("/deals", json=parties.deal(need_id=str(need_id)),
                                   headers=parties.broker.headers)
    assert opened.status_code == 201, opened.text
    await produce(market, NeedFulfilled(need_id=str(need_id), status="fulfilled", version=4,
                                        changed_at=datetime.now(UTC)))
    await eventually(lambda: _is(market, "needs", need_id, ("fulfilled", 4)))


async def test_a_broker_update_changes_whom_it_represents(market: Market) -> None:
    parties = await new_parties(market)
    broker = parties.broker
    dropped = broker_event([parties.buyer], broker_id=broker.broker_id,
                           agency=broker.agency_org_id, version=2)
    await produce(market, BrokerUpdated(**dropped.model_dump()))
    await eventually(lambda: market.fetch(
        "deals", "SELECT 1 FROM brokers WHERE id=$1 AND version=2", broker.broker_id))
    async with market.client("deals") as client:
        as_buyer = await client.post("/deals", json=parties.deal(), headers=broker.headers)
        assert as_buyer.status_code == 201
        registered = await client.post(f"/deals/{as_buyer.json()['id']}/registration",
                                       headers=broker.headers)
    assert registered.status_code == 403


async def _is(market: Market, table: str, row_id: uuid.UUID, expected: tuple[str, int]) -> bool:
    return await _status(market, table, row_id) == expected
