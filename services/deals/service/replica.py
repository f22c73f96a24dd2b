"""The listings facts a deal needs, from the replica or, when it lags, from listings' API.

Trust the replica when it confirms; when it does not know a listing, or says it is not
published, read listings itself (the publish may have returned a moment ago) and keep the
answer in the replica.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.deals import repository
from services.deals.listings_client import ListedNeed, ListedOffer, ListingsClient
from services.deals.models import Broker, Need, Offer, Organization
from shared.errors import FieldError, Unprocessable

PUBLISHED = "published"


async def parties(session: AsyncSession, listings: ListingsClient, seller_id: uuid.UUID,
                  buyer_id: uuid.UUID) -> tuple[Organization, Organization]:
    known = await repository.organizations(session, (seller_id, buyer_id))
    unknown = []
    for field, org_id in (("seller_org_id", seller_id), ("buyer_org_id", buyer_id)):
        if org_id not in known:
            found = await _read_organization(session, listings, org_id)
            if found is None:
                unknown.append(FieldError(field, f"no organisation {org_id} in the market",
                                          "unknown_organization"))
            else:
                known[org_id] = found
    if unknown:
        raise Unprocessable("the deal names an unknown organisation", unknown)
    return known[seller_id], known[buyer_id]


async def _read_organization(session: AsyncSession, listings: ListingsClient,
                             org_id: uuid.UUID) -> Organization | None:
    listed = await listings.organization(org_id)
    if listed is None:
        return None
    values = listed.model_dump(include={"id", "name", "credit_code", "region", "kind",
                                        "small_firm"})
    await repository.upsert_organization(session, values)
    return Organization(**values)


async def offer(session: AsyncSession, listings: ListingsClient,
                offer_id: uuid.UUID) -> Offer | None:
    known = await repository.offer_by_id(session, offer_id)
    if known is not None and known.status == PUBLISHED:
        return known
    values = _facts(await listings.offer(offer_id), "owner_org_id")
    if values is None:
        return known
    await repository.upsert_offer(session, values)
    return Offer(**values)


async def need(session: AsyncSession, listings: ListingsClient,
               need_id: uuid.UUID) -> Need | None:
    known = await repository.need_by_id(session, need_id)
    if known is not None and known.status == PUBLISHED:
        return known
    values = _facts(await listings.need(need_id), "buyer_org_id")
    if values is None:
        return known
    await repository.upsert_need(session, values)
    return Need(**values)


def _facts(listed: ListedOffer | ListedNeed | None, owner: str) -> dict[str, Any] | None:
    """The replica's columns of a listing read from listings (None: listings does not
    know it either)."""
    if listed is None:
        return None
    return listed.model_dump(include={"id", owner, "title", "region", "status", "version"})


async def broker(session: AsyncSession, listings: ListingsClient, broker_id: uuid.UUID,
                 for_orgs: tuple[uuid.UUID, ...] = ()) -> Broker | None:
    """The broker's profile; read through when unknown, or when it represents none of
    `for_orgs` (listings may have just added the organisation to its profile)."""
    known = await repository.broker_by_id(session, broker_id)
    if known is not None and (not for_orgs or represents_any(known, for_orgs)):
        return known
    listed = await listings.broker(broker_id)
    if listed is None:
        return known
    values = listed.model_dump(include={"id", "name", "certificate_no", "region",
                                        "agency_org_id", "represents", "version"})
    await repository.upsert_broker(session, values)
    return Broker(**values)


def represents_any(profile: Broker, org_ids: tuple[uuid.UUID, ...]) -> bool:
    return any(org in profile.represents for org in org_ids)
