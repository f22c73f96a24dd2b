"""Events published by the deals service on `deals.events`."""

from __future__ import annotations

from typing import ClassVar

from shared.events.catalogue import IntegrationEvent

TOPIC = "deals.events"


class DealsEvent(IntegrationEvent):
    source: ClassVar[str] = "/deals"
    topic: ClassVar[str] = TOPIC
