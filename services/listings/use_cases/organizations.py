"""Use cases of organisations. Each runs in the caller's unit of work (a `Db`); the HTTP
boundary commits."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from services.listings.domain.checks import text_errors
from services.listings.domain.credit_code import check_credit_code
from services.listings.repository import organizations as repository
from services.listings.schemas import HighTechCertOut, OrganizationIn, OrganizationOut
from services.listings.use_cases.common import now, refuse, region_short_code
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from shared.events.listings import OrganizationRegistered
from shared.pagination import Page, page_of
from shared.regions import load_regions

NAME_MAX_CHARS = 200


async def register_organization(db: Db, who: Principal,
                                body: OrganizationIn) -> OrganizationOut:
    region = await region_short_code(db, body.region, "region")
    if who.role == "operator" and who.region != region:
        raise Forbidden("an operator registers organisations of its own region only")
    # A control character in a name breaks exports and logs; NUL cannot even be stored.
    refuse("invalid organisation name", text_errors(
        "name", body.name, max_chars=NAME_MAX_CHARS, required=True, single_line=True))
    checked = check_credit_code(body.credit_code)
    if checked.problem:
        reason = checked.problem
        raise Unprocessable(f"invalid unified social credit code: {reason.message}",
                            [FieldError("credit_code", reason.message, reason.code)])
    code = checked.code
    cert = await _certificate(db, body)
    if await repository.organization_by_credit_code(db, code):
        raise Conflict(f"an organisation with credit code {code} is already registered")
    row: dict[str, Any] = {
        "id": uuid.uuid4(), "name": body.name, "credit_code": code, "region": region,
        "kind": body.kind, "small_firm": body.small_firm, "high_tech_cert": cert,
        "version": 1, "created_at": now()}
    if not await repository.insert_organization(db, row):  # registered concurrently
        raise Conflict(f"an organisation with credit code {code} is already registered")
    await outbox.record(db, OrganizationRegistered(
        organization_id=str(row["id"]), name=row["name"], credit_code=code, region=region,
        kind=row["kind"], small_firm=row["small_firm"], high_tech_cert=cert,
        registered_at=row["created_at"]))
    return await organization_out(db, row)


async def _certificate(db: Db, body: OrganizationIn) -> dict[str, Any] | None:
    if body.high_tech_cert is None:
        return None
    cert = body.high_tech_cert
    issuer = await region_short_code(db, cert.issuing_region,
                                     "high_tech_cert.issuing_region")
    return {"issuing_region": issuer, "number": cert.number,
            "valid_until": cert.valid_until.isoformat()}


async def organization_out(db: Db, org: Mapping[str, Any]) -> OrganizationOut:
    """`org`: a stored row (record or dict)."""
    cert: HighTechCertOut | None = None
    if org["high_tech_cert"]:
        # 京津冀 mutual recognition: a certificate counts in every region of the market.
        recognised = sorted(r.short_code for r in await load_regions(db))
        cert = HighTechCertOut(**org["high_tech_cert"], recognised_in=recognised)
    return OrganizationOut(id=org["id"], name=org["name"], credit_code=org["credit_code"],
                           region=org["region"], kind=org["kind"],
                           small_firm=org["small_firm"], high_tech_cert=cert,
                           version=org["version"], created_at=org["created_at"])


async def get_organization(db: Db, org_id: uuid.UUID) -> OrganizationOut:
    org = await repository.organization_by_id(db, org_id)
    if org is None:
        raise NotFound(f"organisation {org_id} not found")
    return await organization_out(db, org)


async def list_organizations(db: Db, page: Page, region: str | None,
                             kind: str | None) -> dict[str, Any]:
    short = await region_short_code(db, region, "region") if region else None
    rows = await repository.organizations(db, page, short, kind)
    items = [await organization_out(db, o) for o in rows]
    return page_of(items, page.limit, lambda o: (o.created_at, o.id))
