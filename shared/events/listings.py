"""Events published by the listings service on `listings.events`."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from shared.events.catalogue import IntegrationEvent

TOPIC = "listings.events"


class ListingsEvent(IntegrationEvent):
    source: ClassVar[str] = "/listings"
    topic: ClassVar[str] = TOPIC


class OrganizationRegistered(ListingsEvent):
    event_type: ClassVar[str] = "organization.registered"
    aggregate_field: ClassVar[str] = "organization_id"
    summary: ClassVar[str] = "An organisation joined the market."

    organization_id: str
    name: str
    credit_code: str
    region: str
    kind: str
    small_firm: bool
    high_tech_cert: dict[str, str] | None = None
    registered_at: datetime
