"""Events published by the matching service on `matching.events`."""

from __future__ import annotations

from typing import ClassVar

from shared.events.catalogue import IntegrationEvent

TOPIC = "matching.events"


class MatchingEvent(IntegrationEvent):
    source: ClassVar[str] = "/matching"
    topic: ClassVar[str] = TOPIC


class MatchSuggested(MatchingEvent):
    event_type: ClassVar[str] = "match.suggested"
    aggregate_field: ClassVar[str] = "need_id"

    need_id: str
    offer_id: str
    score: float
    trigger: str  # need.published | offer.published
