"""Routes of organisations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from services.listings.schemas import OrganizationIn, OrganizationOut, OrganizationPage, OrgKind
from services.listings.use_cases import organizations as use_cases
from shared.auth import Principal, authenticated, require
from shared.pagination import Page, page_params
from shared.transaction import Tx, transaction

router = APIRouter(tags=["organisations"])


@router.post("/organizations", status_code=201, response_model=OrganizationOut)
async def register_organization(body: OrganizationIn, tx: Tx = Depends(transaction),
                                who: Principal = Depends(require("operator", "broker"))
                                ) -> Response:
    return await tx.run(lambda db: use_cases.register_organization(db, who, body),
                        principal=who, status_code=201)


@router.get("/organizations/{org_id}", response_model=OrganizationOut)
async def get_organization(org_id: uuid.UUID, tx: Tx = Depends(transaction),
                           _: Principal = Depends(authenticated)) -> OrganizationOut:
    return await tx.read(lambda db: use_cases.get_organization(db, org_id))


@router.get("/organizations", response_model=OrganizationPage)
async def list_organizations(
    region: str | None = Query(None, max_length=6),
    kind: OrgKind | None = None,
    page: Page = Depends(page_params), tx: Tx = Depends(transaction),
    _: Principal = Depends(authenticated),
) -> dict[str, object]:
    return await tx.read(lambda db: use_cases.list_organizations(db, page, region, kind))
