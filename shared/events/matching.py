"""Events published by the matching service on `matching.events`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from shared.events.catalogue import IntegrationEvent

TOPIC = "matching.events"


class MatchingEvent(IntegrationEvent):
    source: ClassVar[str] = "/matching"
    topic: ClassVar[str] = TOPIC


class MatchSuggested(MatchingEvent):
    event_type: ClassVar[str] = "match.suggested"
    aggregate_field: ClassVar[str] = "need_id"
    about: ClassVar[str] = "A just-published need or offer has a good match on the other side."

    need_id: str
    offer_id: str
    score: float
    trigger: str  # need.published | offer.published
    # Added: the query terms the two listings share, most telling first (for a notifier).
    matched_terms: list[str] = Field(default_factory=list)
