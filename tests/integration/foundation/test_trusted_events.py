"""Consumers apply an event only on the topic its source owns, of a type that source
publishes (shared.events.catalogue.forgery): a forged event is dead-lettered with the reason
and changes nothing, and the genuine events after it still apply."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer

from shared.events.deals import DealRegistered
from shared.events.envelope import CloudEvent, new_envelope
from shared.events.listings import BrokerUpdated
from techmarket.dlq import DeadLetter, read_dead_letters
from tests.support.data import organization
from tests.support.market import Market, auth, eventually

# The largest version deals' replica column holds: a forged one would pin the broker there.
HUGE_VERSION = 2**31 - 1


@pytest.fixture
async def producer(market: Market) -> AsyncIterator[AIOKafkaProducer]:
    async with market.producer() as kafka:
        yield kafka


async def _write(producer: AIOKafkaProducer, topic: str, event: CloudEvent) -> None:
    await producer.send_and_wait(topic, event.to_bytes(), key=event.subject.encode())


async def _dead_letters(market: Market, event: CloudEvent, consumer: str) -> list[DeadLetter]:
    return [letter for letter in await read_dead_letters(market.stack.bootstrap,
                                                         "listings.events")
            if letter.event_field("id") == str(event.id) and letter.consumer == consumer]


async def test_a_deal_event_written_to_listings_events_is_never_applied(
        market: Market, producer: AIOKafkaProducer) -> None:
    deal_id, today = uuid.uuid4(), date.today()
    forged = new_envelope(DealRegistered(
        deal_id=str(deal_id), seller_org_id=str(uuid.uuid4()), buyer_org_id=str(uuid.uuid4()),
        seller_region="BJ", buyer_region="HE", contract_type="transfer.patent",
        total_fen=10_000_000, tech_amount_fen=10_000_000, signed_on=today,
        valid_until=today, registration_no="BJ-2026-FORGED", registered_on=today))
    assert forged.source == "/deals"
    await _write(producer, "listings.events", forged)

    letters = await eventually(lambda: _dead_letters(market, forged, "vouchers"), timeout=60,
                               interval=0.5)
    error = letters[0].header("dlq-error")
    assert "untrusted event" in error and "'/deals' does not publish on 'listings.events'" \
        in error
    assert letters[0].topic == "listings.events"
    assert await market.fetchval("vouchers", "SELECT count(*) FROM inbox WHERE event_id = $1",
                                 forged.id) == 0
    assert await market.fetchval("vouchers", "SELECT count(*) FROM deals WHERE id = $1",
                                 deal_id) == 0


@pytest.fixture
async def broker(market: Market) -> dict[str, Any]:
    """A broker deals has replicated, at version 1."""
    operator = auth("operator", "BJ", sub="operator-BJ")
    async with market.client("listings") as client:
        agency = await client.post("/organizations", headers=operator, json=organization(
            "BJ", kind="broker_agency", small_firm=False))
        made = await client.post("/brokers", headers=operator, json={
            "name": "赵经纪", "certificate_no": f"BJ-JSJJ-{uuid.uuid4().hex[:8]}",
            "region": "BJ", "agency_org_id": agency.json()["id"], "represents": []})
    assert made.status_code == 201, made.text
    profile: dict[str, Any] = made.json()
    await eventually(lambda: _replicated(market, profile["id"]), timeout=60)
    return profile


async def _replicated(market: Market, broker_id: str) -> tuple[str, int] | None:
    rows = await market.fetch("deals", "SELECT name, version FROM brokers WHERE id = $1",
                              uuid.UUID(broker_id))
    return (rows[0]["name"], rows[0]["version"]) if rows else None


async def test_a_forged_broker_update_does_not_pin_the_deals_replica(
        market: Market, producer: AIOKafkaProducer, broker: dict[str, Any]) -> None:
    profile = {key: broker[key] for key in ("broker_id", "name", "certificate_no", "region",
                                             "agency_org_id", "represents")}
    genuine = new_envelope(BrokerUpdated(**{**profile, "name": "伪造经纪",
                                            "registered_at": datetime.now(UTC),
                                            "version": HUGE_VERSION}))
    # Written where deals reads brokers, but claiming a source that does not own the topic.
    forged = genuine.model_copy(update={"id": uuid.uuid4(), "source": "/vouchers"})
    await _write(producer, "listings.events", forged)

    letters = await eventually(lambda: _dead_letters(market, forged, "deals"), timeout=60,
                               interval=0.5)
    assert "'/vouchers' does not publish on 'listings.events'" in letters[0].header("dlq-error")
    assert await _replicated(market, broker["id"]) == ("赵经纪", 1)

    async with market.client("listings") as client:
        changed = await client.patch(f"/brokers/{broker['id']}", json={"name": "赵新经纪"},
                                     headers={**auth("operator", "BJ", sub="operator-BJ"),
                                              "If-Match": '"1"'})
    assert changed.status_code == 200, changed.text
    assert await eventually(
        lambda: _has(market, broker["id"], ("赵新经纪", 2)), timeout=60)


async def _has(market: Market, broker_id: str, expected: tuple[str, int]) -> bool:
    return await _replicated(market, broker_id) == expected
