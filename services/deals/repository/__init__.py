"""Every query of the deals service, one module per subject, each a function taking the
unit of work's `shared.db.Db` first; `records` holds the rows they read and write."""

from services.deals.repository.deals import (
    DealFilter,
    DealToChange,
    DealToRegister,
    deal_by_id,
    deal_for_update,
    deal_to_register,
    deals,
    insert,
    save,
    save_with_contract,
)
from services.deals.repository.regions import all_regions
from services.deals.repository.registrations import (
    Certificate,
    DocumentRegistered,
    NumbersExhausted,
    register,
    registration_by_no,
)
from services.deals.repository.replica import (
    OpeningFacts,
    broker_by_id,
    for_opening,
    need_by_id,
    offer_by_id,
    set_need_status,
    set_offer_status,
    upsert_broker,
    upsert_need,
    upsert_offer,
    upsert_organization,
)
from services.deals.repository.statistics import flows_by_route, flows_by_type

__all__ = [
    "Certificate",
    "DealFilter",
    "DealToChange",
    "DealToRegister",
    "DocumentRegistered",
    "NumbersExhausted",
    "OpeningFacts",
    "all_regions",
    "broker_by_id",
    "deal_by_id",
    "deal_for_update",
    "deal_to_register",
    "deals",
    "flows_by_route",
    "flows_by_type",
    "for_opening",
    "insert",
    "need_by_id",
    "offer_by_id",
    "register",
    "registration_by_no",
    "save",
    "save_with_contract",
    "set_need_status",
    "set_offer_status",
    "upsert_broker",
    "upsert_need",
    "upsert_offer",
    "upsert_organization",
]
