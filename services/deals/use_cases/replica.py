"""The listings facts a deal needs, from the replica or, when it lags, from listings' API.

Trust the replica when it confirms; when it does not know a listing, or says it is not
published, read listings itself (the publish may have returned a moment ago) and keep the
answer in the replica. The `confirm_*` functions start from what the use case already read
from the replica (in the same statement as the rest of its facts), so the happy path costs
no extra query.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.deals import repository
from services.deals.repository.records import BrokerProfile, ListingFacts, PartyFacts
from services.deals.use_cases.listings_client import ListedNeed, ListedOffer, ListingsClient
from shared.db import Db
from shared.errors import FieldError, Unprocessable

PUBLISHED = "published"


async def confirm_parties(db: Db, listings: ListingsClient,
                          seller: tuple[uuid.UUID, PartyFacts | None],
                          buyer: tuple[uuid.UUID, PartyFacts | None]
                          ) -> tuple[PartyFacts, PartyFacts]:
    """Both parties; those the replica does not hold are read from listings (422 when
    listings does not know them either)."""
    found: list[PartyFacts] = []
    unknown = []
    for field, (org_id, known) in (("seller_org_id", seller), ("buyer_org_id", buyer)):
        party = known or await _read_organization(db, listings, org_id)
        if party is None:
            unknown.append(FieldError(field, f"no organisation {org_id} in the market",
                                      "unknown_organization"))
        else:
            found.append(party)
    if unknown:
        raise Unprocessable("the deal names an unknown organisation", unknown)
    return found[0], found[1]


async def _read_organization(db: Db, listings: ListingsClient,
                             org_id: uuid.UUID) -> PartyFacts | None:
    listed = await listings.organization(org_id)
    if listed is None:
        return None
    values = listed.model_dump(include={"id", "name", "credit_code", "region", "kind",
                                        "small_firm"})
    await repository.upsert_organization(db, values)
    return PartyFacts(listed.id, listed.name, listed.region)


async def confirm_offer(db: Db, listings: ListingsClient, offer_id: uuid.UUID,
                        known: ListingFacts | None) -> ListingFacts | None:
    if known is not None and known.status == PUBLISHED:
        return known
    values = _facts(await listings.offer(offer_id), "owner_org_id")
    if values is None:
        return known
    await repository.upsert_offer(db, values)
    return ListingFacts(values["id"], values["owner_org_id"], values["status"])


async def confirm_need(db: Db, listings: ListingsClient, need_id: uuid.UUID,
                       known: ListingFacts | None) -> ListingFacts | None:
    if known is not None and known.status == PUBLISHED:
        return known
    values = _facts(await listings.need(need_id), "buyer_org_id")
    if values is None:
        return known
    await repository.upsert_need(db, values)
    return ListingFacts(values["id"], values["buyer_org_id"], values["status"])


def _facts(listed: ListedOffer | ListedNeed | None, owner: str) -> dict[str, Any] | None:
    """The replica's columns of a listing read from listings (None: listings does not
    know it either)."""
    if listed is None:
        return None
    return listed.model_dump(include={"id", owner, "title", "region", "status", "version"})


async def broker(db: Db, listings: ListingsClient, broker_id: uuid.UUID,
                 for_orgs: tuple[uuid.UUID, ...] = ()) -> BrokerProfile | None:
    """The broker's profile, from the replica first (see `confirm_broker`)."""
    known = await repository.broker_by_id(db, broker_id)
    return await confirm_broker(db, listings, broker_id, known, for_orgs)


async def confirm_broker(db: Db, listings: ListingsClient, broker_id: uuid.UUID,
                         known: BrokerProfile | None,
                         for_orgs: tuple[uuid.UUID, ...] = ()) -> BrokerProfile | None:
    """The broker's profile; read through when unknown, or when it represents none of
    `for_orgs` (listings may have just added the organisation to its profile)."""
    if known is not None and (not for_orgs or represents_any(known, for_orgs)):
        return known
    listed = await listings.broker(broker_id)
    if listed is None:
        return known
    values = listed.model_dump(include={"id", "name", "certificate_no", "region",
                                        "agency_org_id", "represents", "version"})
    await repository.upsert_broker(db, values)
    return BrokerProfile(listed.id, listed.agency_org_id, tuple(listed.represents))


def represents_any(profile: BrokerProfile, org_ids: tuple[uuid.UUID, ...]) -> bool:
    return any(org in profile.represents for org in org_ids)
