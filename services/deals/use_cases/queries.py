"""Reading deals, certificates and flow statistics."""

from __future__ import annotations

import uuid
from typing import Any

from services.deals import repository
from services.deals.domain import (
    COUNTED_IN_STATISTICS,
    DealStatus,
    code_matches,
    is_registration_no,
)
from services.deals.schemas import CertificateOut, DealOut, FlowStatisticsOut
from services.deals.use_cases import access, views
from services.deals.use_cases.listings_client import ListingsClient
from shared.auth import Principal
from shared.db import Db
from shared.errors import FieldError, NotFound, Unprocessable
from shared.pagination import Page, page_of
from shared.regions import resolve_region


async def get_deal(db: Db, who: Principal, deal_id: uuid.UUID,
                   listings: ListingsClient) -> DealOut:
    deal = await repository.deal_by_id(db, deal_id)
    if deal is None:
        raise NotFound(f"deal {deal_id} not found")
    await access.check_can_see(db, listings, who, deal)
    return views.deal_out(deal)


async def list_deals(db: Db, who: Principal, page: Page,
                     status: DealStatus | None, region: str | None, org_id: uuid.UUID | None,
                     listings: ListingsClient) -> dict[str, Any]:
    scope = await access.visible_scope(db, listings, who)
    short = await _region(db, region) if region else None
    where = repository.DealFilter(
        status=str(status) if status else None, region=short, org_id=org_id,
        visible_orgs=scope.visible_orgs, visible_region=scope.visible_region)
    rows = await repository.deals(db, page, where)
    return page_of([views.deal_out(d) for d in rows], page.limit,
                   lambda d: (d.created_at, d.id))


async def _region(db: Db, given: str) -> str:
    region = await resolve_region(db, given)
    if region is None:
        raise Unprocessable(f"unknown region {given!r}",
                            [FieldError("region", "unknown region", "unknown_region")])
    return region.short_code


async def certificate(db: Db, registration_no: str, code: str | None) -> CertificateOut:
    """The certificate, to whoever brings its number and verification code: a wrong or
    missing code is the same 404 as an unknown number."""
    if not is_registration_no(registration_no):
        raise Unprocessable("not a registration number", [FieldError(
            "registration_no", "16 digits: region code (6), year (4), sequence (6)",
            "invalid_registration_no")])
    found = await repository.registration_by_no(db, registration_no)
    stored = found[0].verification_code if found is not None else None
    if found is None or not code_matches(code, stored):
        raise NotFound(f"no contract is registered as {registration_no} with this "
                       "verification code")
    registration, deal_status = found
    return views.certificate_out(registration, deal_status)


async def flow_statistics(db: Db, year: int,
                          contract_type: str | None) -> FlowStatisticsOut:
    statuses = frozenset(str(s) for s in COUNTED_IN_STATISTICS)
    return FlowStatisticsOut.model_validate({
        "year": year, "type": contract_type,
        "flows": await repository.flows_by_route(db, year, statuses, contract_type),
        "by_type": await repository.flows_by_type(db, year, statuses, contract_type),
    })
