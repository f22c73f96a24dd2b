"""Opening a deal between a seller and a buyer, for an offer and/or a need."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.deals import repository
from services.deals.domain import DealStatus
from services.deals.listings_client import ListingsClient
from services.deals.models import Deal
from services.deals.schemas import DealIn, DealOut
from services.deals.service import access, events, replica, views
from services.deals.service.lifecycle import now
from shared import outbox
from shared.auth import Principal
from shared.errors import Conflict, FieldError, Unprocessable
from shared.events.deals import DealOpened


async def open_deal(session: AsyncSession, who: Principal, body: DealIn,
                    listings: ListingsClient) -> DealOut:
    broker = await access.broker_acting_for(session, listings, who, body.seller_org_id,
                                            body.buyer_org_id)
    if body.seller_org_id == body.buyer_org_id:
        raise Unprocessable("a deal needs two different organisations", [FieldError(
            "buyer_org_id", "the buyer is the seller", "same_organization")])
    seller, buyer = await replica.parties(session, listings, body.seller_org_id,
                                          body.buyer_org_id)
    if body.offer_id:
        await _check_offer(session, listings, body.offer_id, body.seller_org_id)
    if body.need_id:
        await _check_need(session, listings, body.need_id, body.buyer_org_id)
    at = now()
    deal = Deal(id=uuid.uuid4(), offer_id=body.offer_id, need_id=body.need_id,
                seller_org_id=seller.id, buyer_org_id=buyer.id, seller_region=seller.region,
                buyer_region=buyer.region, broker_id=broker.id, title=body.title,
                status=DealStatus.NEGOTIATING, version=1, created_at=at, updated_at=at,
                contract=None, registration=None)
    await repository.add(session, deal)
    await outbox.record(session, DealOpened(**events.parties(deal), broker_id=str(broker.id),
                                            title=deal.title, opened_at=at))
    return views.deal_out(deal)


async def _check_offer(session: AsyncSession, listings: ListingsClient, offer_id: uuid.UUID,
                       seller_id: uuid.UUID) -> None:
    offer = await replica.offer(session, listings, offer_id)
    if offer is None:
        raise Unprocessable("unknown offer", [FieldError(
            "offer_id", f"no offer {offer_id} in the market", "unknown_offer")])
    if offer.owner_org_id != seller_id:
        raise Unprocessable("the seller does not own the offer", [FieldError(
            "seller_org_id", f"offer {offer_id} belongs to {offer.owner_org_id}",
            "not_offer_owner")])
    if offer.status != replica.PUBLISHED:
        raise Conflict(f"offer {offer_id} is {offer.status}; a deal needs a published offer")


async def _check_need(session: AsyncSession, listings: ListingsClient, need_id: uuid.UUID,
                      buyer_id: uuid.UUID) -> None:
    need = await replica.need(session, listings, need_id)
    if need is None:
        raise Unprocessable("unknown need", [FieldError(
            "need_id", f"no need {need_id} in the market", "unknown_need")])
    if need.buyer_org_id != buyer_id:
        raise Unprocessable("the buyer did not post the need", [FieldError(
            "buyer_org_id", f"need {need_id} belongs to {need.buyer_org_id}", "not_need_owner")])
    if need.status != replica.PUBLISHED:
        raise Conflict(f"need {need_id} is {need.status}; a deal needs a published need")
