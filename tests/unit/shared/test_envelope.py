from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from shared.events import CATALOGUE, CloudEvent, lookup, new_envelope
from shared.events.catalogue import version_of
from shared.events.listings import OrganizationRegistered
from shared.inbox import PoisonEvent, parse


def _registered() -> OrganizationRegistered:
    return OrganizationRegistered(
        organization_id=str(uuid.uuid4()), name="北京某大学", credit_code="1" * 18, region="BJ",
        kind="university", small_firm=False, registered_at=datetime.now(UTC))


def test_envelope_is_cloudevents_with_aggregate_subject() -> None:
    event = _registered()
    envelope = new_envelope(event)
    assert envelope.specversion == "1.0"
    assert envelope.type == "organization.registered"
    assert envelope.subject == event.organization_id
    assert envelope.source == "/listings"
    assert envelope.dataschema == "urn:techmarket:events:organization.registered:v1"
    assert CloudEvent.from_bytes(envelope.to_bytes()) == envelope


def test_catalogue_registers_by_type_and_version() -> None:
    assert lookup("organization.registered") is OrganizationRegistered
    assert ("organization.registered", 1) in CATALOGUE
    assert version_of("urn:techmarket:events:x:v2") == 2
    assert version_of(None) == 1


@pytest.mark.parametrize("raw", [None, b"", b"{", b'{"type": "x"}', b"[1,2]"])
def test_unparseable_records_are_poison(raw: bytes | None) -> None:
    with pytest.raises(PoisonEvent):
        parse(raw, "listings.events")


def _record(event_type: str, source: str) -> bytes:
    event = OrganizationRegistered(
        organization_id=str(uuid.uuid4()), name="北京示范大学", credit_code="x", region="BJ",
        kind="university", small_firm=False, registered_at=datetime.now(UTC))
    envelope = new_envelope(event).model_copy(update={"type": event_type, "source": source})
    return envelope.to_bytes()


def test_an_event_on_its_own_topic_from_its_own_source_is_trusted() -> None:
    raw = _record("organization.registered", "/listings")
    assert parse(raw, "listings.events").type == "organization.registered"


@pytest.mark.parametrize(("topic", "event_type", "source"), [
    ("listings.events", "deal.registered", "/deals"),     # another service's type and source
    ("listings.events", "deal.registered", "/listings"),  # a type its source never publishes
    ("deals.events", "broker.updated", "/listings"),      # a source that does not own the topic
    ("vouchers.events", "organization.registered", "/listings"),
])
def test_an_event_out_of_its_place_is_poison(topic: str, event_type: str, source: str) -> None:
    with pytest.raises(PoisonEvent, match="untrusted event"):
        parse(_record(event_type, source), topic)
