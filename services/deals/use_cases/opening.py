"""Opening a deal between a seller and a buyer, for an offer and/or a need."""

from __future__ import annotations

import uuid

from services.deals import repository
from services.deals.domain import DealStatus
from services.deals.repository.records import DealRecord, ListingFacts
from services.deals.schemas import DealIn, DealOut
from services.deals.use_cases import access, events, replica, views
from services.deals.use_cases.lifecycle import now
from services.deals.use_cases.listings_client import ListingsClient
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import Conflict, FieldError, Unprocessable
from shared.events.deals import DealOpened


async def open_deal(db: Db, who: Principal, body: DealIn,
                    listings: ListingsClient) -> DealOut:
    # Broker, parties, offer and need as the replica holds them, in one statement.
    facts = await repository.for_opening(db, access.maybe_broker_id(who), body.seller_org_id,
                                         body.buyer_org_id, body.offer_id, body.need_id)
    broker = await access.confirmed_broker(db, listings, who, facts.broker,
                                           body.seller_org_id, body.buyer_org_id)
    if body.seller_org_id == body.buyer_org_id:
        raise Unprocessable("a deal needs two different organisations", [FieldError(
            "buyer_org_id", "the buyer is the seller", "same_organization")])
    seller, buyer = await replica.confirm_parties(
        db, listings, (body.seller_org_id, facts.seller), (body.buyer_org_id, facts.buyer))
    if body.offer_id:
        offer = await replica.confirm_offer(db, listings, body.offer_id, facts.offer)
        _check_listing("offer", body.offer_id, offer, body.seller_org_id, "seller_org_id")
    if body.need_id:
        need = await replica.confirm_need(db, listings, body.need_id, facts.need)
        _check_listing("need", body.need_id, need, body.buyer_org_id, "buyer_org_id")
    at = now()
    deal = DealRecord(id=uuid.uuid4(), offer_id=body.offer_id, need_id=body.need_id,
                      seller_org_id=seller.id, buyer_org_id=buyer.id,
                      seller_region=seller.region, buyer_region=buyer.region,
                      broker_id=broker.id, title=body.title, status=DealStatus.NEGOTIATING,
                      version=1, created_at=at, updated_at=at)
    await repository.insert(db, deal)
    await outbox.record(db, DealOpened(**events.parties(deal), broker_id=str(broker.id),
                                       title=deal.title, opened_at=at))
    return views.deal_out(deal)


def _check_listing(kind: str, listing_id: uuid.UUID, listing: ListingFacts | None,
                   party_id: uuid.UUID, party_field: str) -> None:
    """A deal's offer must be the seller's, its need the buyer's, and both published."""
    if listing is None:
        raise Unprocessable(f"unknown {kind}", [FieldError(
            f"{kind}_id", f"no {kind} {listing_id} in the market", f"unknown_{kind}")])
    owner, status = listing.owner_org_id, listing.status
    if owner != party_id:
        raise Unprocessable(f"the {kind} belongs to another organisation", [FieldError(
            party_field, f"{kind} {listing_id} belongs to {owner}", f"not_{kind}_owner")])
    if status != replica.PUBLISHED:
        raise Conflict(f"{kind} {listing_id} is {status}; a deal needs a published {kind}")
