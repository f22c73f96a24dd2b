"""How the feed cuts a poll into runs it can write in one transaction each."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from services.matching.handlers.feed import runs_by_kind
from shared.events.envelope import CloudEvent, new_envelope
from shared.events.listings import NeedWithdrawn, OfferWithdrawn


def _offer() -> CloudEvent:
    return new_envelope(OfferWithdrawn(offer_id=str(uuid.uuid4()), status="withdrawn",
                                       version=3, changed_at=datetime.now(UTC)))


def _need() -> CloudEvent:
    return new_envelope(NeedWithdrawn(need_id=str(uuid.uuid4()), status="withdrawn",
                                      version=3, changed_at=datetime.now(UTC)))


def _shape(events: list[CloudEvent | None]) -> list[list[str]]:
    records: list[tuple[Any, CloudEvent | None]] = [(n, e) for n, e in enumerate(events)]
    return [["?" if e is None else e.type.split(".")[0] for _, e in run]
            for run in runs_by_kind(iter(records))]


def test_a_run_holds_one_kind_of_listing_in_topic_order() -> None:
    shape = _shape([_offer(), _offer(), _need(), _offer()])
    assert shape == [["offer", "offer"], ["need"], ["offer"]]


def test_an_unparseable_record_stands_alone() -> None:
    assert _shape([_offer(), None, _offer()]) == [["offer"], ["?"], ["offer"]]
    assert _shape([None]) == [["?"]]
    assert _shape([]) == []
