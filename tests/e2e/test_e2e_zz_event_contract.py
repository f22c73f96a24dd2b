"""Contract test: every event any service has published validates against its catalogued
schema (the one docs/asyncapi.yaml is generated from). Runs after the other end-to-end tests
of the session market, so it sees the events of whole journeys."""

from __future__ import annotations

from shared.events import CloudEvent, lookup
from shared.events.catalogue import version_of
from tests.support.journey import Api, run_journey
from tests.support.market import Market

SERVICES = ("listings", "matching", "deals", "vouchers")


async def test_every_published_event_matches_the_catalogue(market: Market) -> None:
    api = Api({s: market.url(s) for s in SERVICES})
    try:
        await run_journey(api)
    finally:
        await api.close()
    seen: set[str] = set()
    problems: list[str] = []
    for service in SERVICES:
        for row in await market.fetch(service, "SELECT topic, key, envelope FROM outbox"):
            envelope = CloudEvent.model_validate_json(row["envelope"])
            event = lookup(envelope.type, version_of(envelope.dataschema))
            if event is None:
                problems.append(f"{service}: {envelope.type} is not catalogued")
                continue
            data = event.model_validate(envelope.data)
            seen.add(envelope.type)
            if (event.topic, event.source) != (row["topic"], envelope.source):
                problems.append(f"{envelope.type} on {row['topic']} from {envelope.source}")
            if row["key"] != envelope.subject or data.aggregate_id() != envelope.subject:
                problems.append(f"{envelope.type}: key/subject/aggregate id disagree")
    assert problems == []
    assert {"organization.registered", "offer.published", "need.published", "deal.opened",
            "deal.signed", "deal.registered", "deal.completed", "program.opened",
            "voucher.issued", "voucher.reserved", "voucher.redeemed"} <= seen
