"""From listing events to read-model rows, and from rows to the index (no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from services.matching.domain.listings import NEED, OFFER
from services.matching.domain.market_index import MarketIndex
from services.matching.use_cases.listing_events import events_of, kind_of
from services.matching.use_cases.read_model import collect
from shared.events.envelope import CloudEvent, new_envelope
from shared.events.listings import (
    NeedPublished,
    OfferPublished,
    OfferUpdated,
    OfferWithdrawn,
    OrganizationRegistered,
)

REGIONS = {"110000": "BJ", "BJ": "BJ", "120000": "TJ", "TJ": "TJ"}


def offer(version: int = 2, cls: type[OfferPublished] | type[OfferUpdated] = OfferPublished,
          **changes: Any) -> CloudEvent:
    data: dict[str, Any] = {
        "offer_id": "6f1c2a3e-0000-4000-8000-000000000001", "owner_org_id": str(uuid.uuid4()),
        "kind": "technology", "title": "高镍三元正极材料制备技术", "description": "共沉淀法。",
        "industry": "new_materials", "keywords": ["正极材料"], "trl": 6, "modes": ["license"],
        "asking_price_fen": None, "region": "110000", "valid_until": date(2030, 1, 1),
        "status": "published", "version": version, "published_at": datetime.now(UTC)}
    return new_envelope(cls(**{**data, **changes}))


def withdrawal(version: int) -> CloudEvent:
    return new_envelope(OfferWithdrawn(offer_id="6f1c2a3e-0000-4000-8000-000000000001",
                                       status="withdrawn", version=version,
                                       changed_at=datetime.now(UTC)))


def need() -> CloudEvent:
    return new_envelope(NeedPublished(
        need_id=str(uuid.uuid4()), buyer_org_id=str(uuid.uuid4()), title="征集正极材料技术",
        description="提高能量密度。", industry="new_materials", region="TJ", min_trl=5,
        cross_region_ok=False, status="published", version=2))


def test_only_the_newest_event_per_listing_counts() -> None:
    changes = collect([offer(3, OfferUpdated, title="第三版"), offer(2), withdrawal(5),
                       withdrawal(4)], REGIONS)["offer"]
    [(_, row)] = changes.snapshots.values()
    assert (row["version"], row["title"]) == (3, "第三版")
    [status] = changes.statuses.values()
    assert (status["status"], status["version"]) == ("withdrawn", 5)


def test_regions_are_stored_by_short_code_and_kinds_kept_apart() -> None:
    changes = collect([offer(), need()], REGIONS)
    [(_, offer_row)] = changes["offer"].snapshots.values()
    [(_, need_row)] = changes["need"].snapshots.values()
    assert offer_row["region"] == "BJ" and need_row["region"] == "TJ"
    assert need_row["cross_region_ok"] is False


def test_events_matching_does_not_follow_are_ignored() -> None:
    registered = new_envelope(OrganizationRegistered(
        organization_id=str(uuid.uuid4()), name="某公司", credit_code="x", region="BJ",
        kind="enterprise", small_firm=True, registered_at=datetime.now(UTC)))
    assert kind_of(registered.type) is None
    assert all(not c.touched for c in collect([registered], REGIONS).values())


def test_a_malformed_listing_event_raises() -> None:
    broken = offer()
    broken.data["trl"] = "six"
    with pytest.raises(ValidationError):
        collect([broken], REGIONS)


def _row(event: CloudEvent, **changes: Any) -> dict[str, Any]:
    kind = kind_of(event.type)
    assert kind is not None
    return {**events_of(kind).snapshot_row(event.data), "region": "BJ", **changes}


def test_the_index_follows_rows_and_ignores_what_it_already_holds() -> None:
    index = MarketIndex()
    row = _row(offer(2))
    index.follow(OFFER, row)
    slots = index.engine.offers.text.slot_count
    index.follow(OFFER, row)  # the same version again: nothing to do
    assert index.engine.offers.text.slot_count == slots
    index.follow(OFFER, {**row, "version": 3, "title": "钠离子电池硬碳负极"})
    assert index.offers[str(row["id"])].doc.title == "钠离子电池硬碳负极"
    index.follow(OFFER, {**row, "status": "in_deal", "version": 4})
    assert str(row["id"]) not in index.offers and len(index.engine.offers) == 0


def test_a_row_known_only_by_its_status_is_never_indexed() -> None:
    index = MarketIndex()
    tombstone = {"id": uuid.uuid4(), "status": "published", "version": 3, "title": None}
    index.follow(NEED, tombstone)
    assert index.needs == {}


async def test_queued_rows_reach_the_index_in_order() -> None:
    index = MarketIndex()
    row = _row(offer(2))
    index.queue(OFFER, [row, {**row, "status": "withdrawn", "version": 3}])
    index.drain_soon()
    await index.drain()
    assert index.offers == {}
