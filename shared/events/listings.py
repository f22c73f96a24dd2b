"""Events published by the listings service on `listings.events`."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from pydantic import BaseModel, Field

from shared.events.catalogue import IntegrationEvent

TOPIC = "listings.events"


class ListingsEvent(IntegrationEvent):
    source: ClassVar[str] = "/listings"
    topic: ClassVar[str] = TOPIC


class OrganizationRegistered(ListingsEvent):
    event_type: ClassVar[str] = "organization.registered"
    aggregate_field: ClassVar[str] = "organization_id"
    about: ClassVar[str] = "An organisation joined the market."

    organization_id: str
    name: str
    credit_code: str
    region: str
    kind: str
    small_firm: bool
    high_tech_cert: dict[str, str] | None = None
    registered_at: datetime


class IpItem(BaseModel):
    kind: str
    number: str | None = None


class OfferSnapshot(ListingsEvent):
    """Full state of an offer (carried by offer.published and offer.updated)."""

    aggregate_field: ClassVar[str] = "offer_id"

    offer_id: str
    owner_org_id: str
    kind: str  # technology | service
    title: str
    summary: str = ""
    description: str = ""
    industry: str
    keywords: list[str] = Field(default_factory=list)
    trl: int
    ip: list[IpItem] = Field(default_factory=list)
    modes: list[str] = Field(default_factory=list)
    asking_price_fen: int | None = None
    region: str
    valid_until: date | None = None
    status: str
    version: int
    published_at: datetime | None = None


class OfferPublished(OfferSnapshot):
    event_type: ClassVar[str] = "offer.published"


class OfferUpdated(OfferSnapshot):
    event_type: ClassVar[str] = "offer.updated"


class OfferStatusChanged(ListingsEvent):
    aggregate_field: ClassVar[str] = "offer_id"

    offer_id: str
    status: str
    version: int
    deal_id: str | None = None
    changed_at: datetime


class OfferWithdrawn(OfferStatusChanged):
    event_type: ClassVar[str] = "offer.withdrawn"


class OfferExpired(OfferStatusChanged):
    event_type: ClassVar[str] = "offer.expired"


class OfferInDeal(OfferStatusChanged):
    event_type: ClassVar[str] = "offer.in_deal"


class OfferTransacted(OfferStatusChanged):
    event_type: ClassVar[str] = "offer.transacted"


class NeedSnapshot(ListingsEvent):
    """Full state of a need (carried by need.published and need.updated)."""

    aggregate_field: ClassVar[str] = "need_id"

    need_id: str
    buyer_org_id: str
    title: str
    description: str = ""
    industry: str
    keywords: list[str] = Field(default_factory=list)
    min_trl: int | None = None
    budget_min_fen: int | None = None
    budget_max_fen: int | None = None
    cross_region_ok: bool = True
    modes: list[str] = Field(default_factory=list)
    region: str
    deadline: date | None = None
    status: str
    version: int
    published_at: datetime | None = None


class NeedPublished(NeedSnapshot):
    event_type: ClassVar[str] = "need.published"


class NeedUpdated(NeedSnapshot):
    event_type: ClassVar[str] = "need.updated"


class NeedStatusChanged(ListingsEvent):
    aggregate_field: ClassVar[str] = "need_id"

    need_id: str
    status: str
    version: int
    deal_id: str | None = None
    changed_at: datetime


class NeedWithdrawn(NeedStatusChanged):
    event_type: ClassVar[str] = "need.withdrawn"


class NeedExpired(NeedStatusChanged):
    event_type: ClassVar[str] = "need.expired"


class NeedInDeal(NeedStatusChanged):
    event_type: ClassVar[str] = "need.in_deal"


class NeedFulfilled(NeedStatusChanged):
    event_type: ClassVar[str] = "need.fulfilled"


class BrokerProfile(ListingsEvent):
    """A technology broker and the organisations it represents (full snapshot)."""

    aggregate_field: ClassVar[str] = "broker_id"

    broker_id: str
    name: str
    certificate_no: str
    region: str
    agency_org_id: str
    represents: list[str] = Field(default_factory=list)
    registered_at: datetime
    # Grows with every change, so a replica never lets an older profile overwrite a newer
    # one (deals also reads brokers through the listings API; see docs/deals.md).
    version: int = 1


class BrokerRegistered(BrokerProfile):
    event_type: ClassVar[str] = "broker.registered"


class BrokerUpdated(BrokerProfile):
    event_type: ClassVar[str] = "broker.updated"

