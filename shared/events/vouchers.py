"""Events published by the vouchers service on `vouchers.events`."""

from __future__ import annotations

from typing import ClassVar

from shared.events.catalogue import IntegrationEvent

TOPIC = "vouchers.events"


class VouchersEvent(IntegrationEvent):
    source: ClassVar[str] = "/vouchers"
    topic: ClassVar[str] = TOPIC
