"""Routes of needs (technology requests of buyer organisations)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query

from services.listings.domain.text_search import QUERY_MAX_CHARS
from services.listings.routes.listing_routes import add_listing_routes
from services.listings.schemas import NeedIn, NeedPage, NeedPatch
from services.listings.schemas.listings import IndustryCode, Status
from services.listings.use_cases import listings as use_cases
from services.listings.use_cases.listing_types import NEED
from shared.auth import Principal, authenticated
from shared.pagination import Page, page_params
from shared.transaction import Tx, transaction

router = APIRouter(tags=["needs"])
add_listing_routes(router, NEED, NeedIn, NeedPatch)


@router.get("/needs", response_model=NeedPage, summary="Find needs, newest first")
async def list_needs(
    industry: IndustryCode | None = None,  # type: ignore[valid-type]
    region: str | None = Query(None, max_length=6, description="BJ, TJ, HE or 110000 ..."),
    status: Status | None = None,  # type: ignore[valid-type]
    q: str | None = Query(None, max_length=QUERY_MAX_CHARS,
                          description="text filter on title, keywords and description; "
                                      "works on Chinese and Latin words"),
    buyer_org_id: uuid.UUID | None = None,
    page: Page = Depends(page_params), tx: Tx = Depends(transaction),
    _: Principal = Depends(authenticated),
) -> dict[str, object]:
    return await tx.read(lambda db: use_cases.list_listings(
        db, NEED, page, industry=industry, region=region, status=status, q=q,
        owner_org_id=buyer_org_id))
