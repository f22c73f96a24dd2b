"""Events published by the deals service on `deals.events`."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from shared.events.catalogue import IntegrationEvent

TOPIC = "deals.events"


class DealsEvent(IntegrationEvent):
    source: ClassVar[str] = "/deals"
    topic: ClassVar[str] = TOPIC


class DealParties(DealsEvent):
    aggregate_field: ClassVar[str] = "deal_id"

    deal_id: str
    offer_id: str | None = None
    need_id: str | None = None
    seller_org_id: str
    buyer_org_id: str
    seller_region: str
    buyer_region: str


class DealOpened(DealParties):
    event_type: ClassVar[str] = "deal.opened"

    broker_id: str
    title: str
    opened_at: datetime


class ContractTerms(DealParties):
    contract_type: str
    total_fen: int
    tech_amount_fen: int
    signed_on: date
    valid_until: date


class DealSigned(ContractTerms):
    event_type: ClassVar[str] = "deal.signed"


class DealRegistrationRejected(DealsEvent):
    event_type: ClassVar[str] = "deal.registration_rejected"
    aggregate_field: ClassVar[str] = "deal_id"

    deal_id: str
    errors: list[dict[str, str]]
    rejected_at: datetime


class DealInExpertReview(ContractTerms):
    event_type: ClassVar[str] = "deal.in_expert_review"


class DealRegistered(ContractTerms):
    event_type: ClassVar[str] = "deal.registered"

    registration_no: str
    registered_on: date


class DealCompleted(DealParties):
    event_type: ClassVar[str] = "deal.completed"

    completed_at: datetime


class DealTerminated(DealParties):
    event_type: ClassVar[str] = "deal.terminated"

    reason: str
    previous_status: str
    terminated_at: datetime
