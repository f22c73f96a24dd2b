"""Every query of the deals service, one module per subject."""

from services.deals.repository.deals import (
    DealFilter,
    DealToRegister,
    add,
    deal_by_id,
    deal_for_update,
    deal_to_register,
    deals,
)
from services.deals.repository.registrations import next_sequence, registration_by_no
from services.deals.repository.replica import (
    broker_by_id,
    need_by_id,
    offer_by_id,
    organizations,
    set_status,
    upsert_broker,
    upsert_need,
    upsert_offer,
    upsert_organization,
)
from services.deals.repository.statistics import flows_by_route, flows_by_type

__all__ = [
    "DealFilter",
    "DealToRegister",
    "add",
    "broker_by_id",
    "deal_by_id",
    "deal_for_update",
    "deal_to_register",
    "deals",
    "flows_by_route",
    "flows_by_type",
    "need_by_id",
    "next_sequence",
    "offer_by_id",
    "organizations",
    "registration_by_no",
    "set_status",
    "upsert_broker",
    "upsert_need",
    "upsert_offer",
    "upsert_organization",
]
