"""Routes of offers (technology offers and lab service offers)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query

from services.listings.domain.text_search import QUERY_MAX_CHARS
from services.listings.routes.listing_routes import add_listing_routes
from services.listings.schemas import OfferIn, OfferPage, OfferPatch
from services.listings.schemas.listings import IndustryCode, Status
from services.listings.use_cases import listings as use_cases
from services.listings.use_cases.listing_types import OFFER
from shared.auth import Principal, authenticated
from shared.pagination import Page, page_params
from shared.transaction import Tx, transaction

router = APIRouter(tags=["offers"])
add_listing_routes(router, OFFER, OfferIn, OfferPatch)


@router.get("/offers", response_model=OfferPage, summary="Find offers, newest first")
async def list_offers(
    industry: IndustryCode | None = None,  # type: ignore[valid-type]
    region: str | None = Query(None, max_length=6, description="BJ, TJ, HE or 110000 ..."),
    status: Status | None = None,  # type: ignore[valid-type]
    q: str | None = Query(None, max_length=QUERY_MAX_CHARS,
                          description="text filter on title, keywords, summary, description; "
                                      "works on Chinese (锂电池, 正极材料) and Latin words"),
    owner_org_id: uuid.UUID | None = None,
    page: Page = Depends(page_params), tx: Tx = Depends(transaction),
    _: Principal = Depends(authenticated),
) -> dict[str, object]:
    return await tx.read(lambda db: use_cases.list_listings(
        db, OFFER, page, industry=industry, region=region, status=status, q=q,
        owner_org_id=owner_org_id))
