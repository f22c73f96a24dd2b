"""Routes of organisations."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from services.listings.schemas import OrganizationIn, OrganizationOut, OrganizationPage, OrgKind
from services.listings.service import organizations as service
from shared.auth import Principal, authenticated, require
from shared.pagination import Page, page_params
from shared.transaction import Tx, transaction

router = APIRouter(tags=["organisations"])


@router.post("/organizations", status_code=201, response_model=OrganizationOut)
async def register_organization(body: OrganizationIn, tx: Tx = Depends(transaction),
                                who: Principal = Depends(require("operator", "broker"))
                                ) -> Response:
    return await tx.run(lambda s: service.register_organization(s, who, body),
                        principal=who, status_code=201)


@router.get("/organizations/{org_id}", response_model=OrganizationOut)
async def get_organization(org_id: uuid.UUID, tx: Tx = Depends(transaction),
                           _: Principal = Depends(authenticated)) -> OrganizationOut:
    return await tx.read(lambda s: service.get_organization(s, org_id))


@router.get("/organizations", response_model=OrganizationPage)
async def list_organizations(
    region: str | None = Query(None, max_length=6),
    kind: OrgKind | None = None,
    page: Page = Depends(page_params), tx: Tx = Depends(transaction),
    _: Principal = Depends(authenticated),
) -> dict[str, object]:
    return await tx.read(lambda s: service.list_organizations(s, page, region, kind))
