"""The read model and index follow `listings.events`: published offers are ranked, offers
that left the market are not, and repeated or late events change nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from shared.events.envelope import new_envelope
from shared.events.listings import (
    NeedWithdrawn,
    OfferExpired,
    OfferInDeal,
    OfferTransacted,
    OfferUpdated,
)
from tests.support.market import Market, eventually
from tests.support.matching.feed import (
    code_word,
    consumed,
    ids,
    matches,
    need_event,
    offer_event,
    pick_topic,
    produce,
    produce_envelopes,
    search,
    searchable,
    withdrawn,
)


async def _row(market: Market, table: str, listing_id: str) -> tuple[str, int, str | None]:
    row = (await market.fetch("matching", f"SELECT status, version, title FROM {table} "
                              "WHERE id = $1::uuid", listing_id))[0]
    return row["status"], row["version"], row["title"]


async def test_a_published_offer_becomes_searchable_with_its_card(market: Market) -> None:
    code = code_word()
    offer = offer_event(code, region="110000", asking_price_fen=None)
    await produce(market, offer)
    await searchable(market, code, {offer.offer_id})
    item = (await search(market, {"text": code}))["items"][0]
    assert item["offer"] == {"title": offer.title, "region": "BJ",  # stored as the short code
                             "industry": "new_energy_vehicles", "trl": 6,
                             "asking_price_fen": None}
    assert await _row(market, "offers", offer.offer_id) == ("published", 2, offer.title)


@pytest.mark.parametrize("leaves", ["withdrawn", "in_deal", "expired", "transacted"])
async def test_an_offer_leaving_the_market_leaves_the_ranking(market: Market,
                                                              leaves: str) -> None:
    code = code_word()
    staying, leaving = offer_event(code), offer_event(code)
    await produce(market, staying, leaving)
    await searchable(market, code, {staying.offer_id, leaving.offer_id})
    change = {"in_deal": OfferInDeal, "expired": OfferExpired,
              "transacted": OfferTransacted}.get(leaves)
    event = withdrawn(leaving) if change is None else change(
        offer_id=leaving.offer_id, status=leaves, version=3, changed_at=datetime.now(UTC))
    await produce(market, event)
    await searchable(market, code, {staying.offer_id})
    assert (await _row(market, "offers", leaving.offer_id))[:2] == (leaves, 3)


async def test_an_update_replaces_the_indexed_text(market: Market) -> None:
    old_code, new_code = code_word(), code_word()
    offer = offer_event(old_code)
    await produce(market, offer)
    await searchable(market, old_code, {offer.offer_id})
    update = offer_event(new_code, cls=OfferUpdated, offer_id=offer.offer_id, version=3)
    await produce(market, update)
    await searchable(market, new_code, {offer.offer_id})
    await searchable(market, old_code, set())


async def test_repeated_and_late_events_change_nothing(market: Market) -> None:
    code = code_word()
    offer = offer_event(code, version=2)
    gone = withdrawn(offer, version=3)
    # Withdrawal first, then the (older) publication twice: the offer never shows up.
    event_ids = await produce(market, gone, offer, offer)
    await consumed(market, event_ids)
    # Same end state as in-order delivery (the content may or may not be kept: it depends
    # on whether the events shared a poll); either way the offer is not on the market.
    assert (await _row(market, "offers", offer.offer_id))[:2] == ("withdrawn", 3)
    # A later offer with the same word: once it is searchable, the index has applied
    # everything consumed before it, and the stale publication is not among the results.
    marker = offer_event(code)
    await produce(market, marker)
    await searchable(market, code, {marker.offer_id})


async def test_the_same_event_delivered_twice_is_applied_once(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    offer, need = offer_event(code, topic), need_event(code, topic)
    await produce(market, offer)
    await searchable(market, code, {offer.offer_id})
    envelope = new_envelope(need)
    await produce_envelopes(market, envelope, envelope, topic=need.topic)
    await consumed(market, [envelope.id])
    rows = await market.fetch(
        "matching", "SELECT envelope->'data'->>'offer_id' AS offer_id FROM outbox "
        "WHERE type = 'match.suggested' AND key = $1", need.need_id)
    suggested = [row["offer_id"] for row in rows]
    assert suggested.count(offer.offer_id) == 1 and len(set(suggested)) == len(suggested)
    inbox = await market.fetchval("matching", "SELECT count(*) FROM inbox WHERE event_id = $1",
                                  envelope.id)
    assert inbox == 1


async def test_a_withdrawn_need_stays_known_but_is_not_ranked(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    offer, need = offer_event(code, topic), need_event(code, topic)
    await produce(market, need, NeedWithdrawn(need_id=need.need_id, status="withdrawn",
                                              version=3, changed_at=datetime.now(UTC)))
    await produce(market, offer)
    await searchable(market, code, {offer.offer_id})
    found = await matches(market, "offer", offer.offer_id, min_score=0)
    assert need.need_id not in ids(found, "need_id")
    assert await _row(market, "needs", need.need_id) == ("withdrawn", 3, need.title)


async def test_a_broken_event_is_dead_lettered_and_its_neighbours_indexed(
        market: Market) -> None:
    code = code_word()
    before, after = offer_event(code), offer_event(code)
    broken = new_envelope(offer_event(code))
    broken.data["offer_id"] = "not-a-uuid"  # schema-valid JSON, unusable listing
    envelopes = [new_envelope(before), broken, new_envelope(after)]
    producer = AIOKafkaProducer(bootstrap_servers=market.stack.bootstrap,
                                enable_idempotence=False)
    await producer.start()
    try:  # one partition, so the three arrive in one poll, in this order
        for envelope in envelopes:
            await producer.send_and_wait("listings.events", envelope.to_bytes(), partition=0)
    finally:
        await producer.stop()
    await searchable(market, code, {before.offer_id, after.offer_id})
    dead = await eventually(lambda: _dead_lettered(market, broken.id), timeout=60)
    assert "UUID" in dict(dead.headers)["dlq-error"].decode()


async def _dead_lettered(market: Market, event_id: uuid.UUID) -> Any:
    """matching's DLQ record of an event, if there is one yet."""
    consumer = AIOKafkaConsumer("listings.events.dlq", bootstrap_servers=market.stack.bootstrap,
                                group_id=f"test-{uuid.uuid4()}", auto_offset_reset="earliest",
                                fetch_max_wait_ms=10)
    await consumer.start()
    try:
        while batches := await consumer.getmany(timeout_ms=1000):
            for record in (r for records in batches.values() for r in records):
                if (dict(record.headers).get("dlq-consumer") == b"matching"
                        and str(event_id).encode() in (record.value or b"")):
                    return record
    finally:
        await consumer.stop()
    return None
