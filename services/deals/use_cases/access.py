"""Who may act on or see a deal.

A broker acts only for deals whose seller or buyer it represents (the token's `sub` is the
broker's id); an operator reviews and reads for its own region; an enterprise or provider
reads its own deals; a `service` token reads everything.
"""

from __future__ import annotations

import uuid

from services.deals import repository
from services.deals.repository import DealFilter
from services.deals.repository.records import BrokerProfile, DealRecord
from services.deals.use_cases import replica
from services.deals.use_cases.listings_client import ListingsClient
from shared.auth import Principal
from shared.db import Db
from shared.errors import Forbidden


def broker_id_of(who: Principal) -> uuid.UUID:
    try:
        return uuid.UUID(who.sub)
    except ValueError:
        raise Forbidden("a broker token's sub must be the broker's id from POST /brokers "
                        f"(got {who.sub[:80]!r})") from None


def maybe_broker_id(who: Principal) -> uuid.UUID | None:
    """The broker id a token names, to read the profile along with other facts; None when
    it names none (`broker_acting_for` answers 403 for that, after the facts are read)."""
    try:
        return uuid.UUID(who.sub)
    except ValueError:
        return None


async def broker_acting_for(db: Db, listings: ListingsClient, who: Principal,
                            *org_ids: uuid.UUID) -> BrokerProfile:
    """The calling broker, when it represents at least one of `org_ids`; else 403."""
    known = await repository.broker_by_id(db, broker_id_of(who))
    return await confirmed_broker(db, listings, who, known, *org_ids)


async def confirmed_broker(db: Db, listings: ListingsClient, who: Principal,
                           known: BrokerProfile | None, *org_ids: uuid.UUID) -> BrokerProfile:
    """As `broker_acting_for`, from the profile the use case read with its other facts
    (`known`, None: not in the replica); listings is asked only when it does not confirm."""
    broker_id = broker_id_of(who)
    profile = _checked(who, broker_id, await replica.confirm_broker(db, listings,
                                                                    broker_id, known, org_ids))
    if not replica.represents_any(profile, org_ids):
        raise Forbidden(f"broker {broker_id} represents neither party of this deal")
    return profile


def _checked(who: Principal, broker_id: uuid.UUID,
             profile: BrokerProfile | None) -> BrokerProfile:
    if profile is None:
        raise Forbidden(f"broker {broker_id} is not registered in the market")
    # As in listings: a broker token names the broker's own agency, if any organisation.
    if who.org is not None and who.org != str(profile.agency_org_id):
        raise Forbidden("the token's organisation is not the broker's agency")
    return profile


async def check_can_see(db: Db, listings: ListingsClient, who: Principal,
                        deal: DealRecord) -> None:
    parties = (deal.seller_org_id, deal.buyer_org_id)
    if who.role == "service":
        return
    if who.role == "operator":
        if who.region not in (deal.seller_region, deal.buyer_region):
            raise Forbidden(f"an operator of {who.region} sees deals with a party of its region")
        return
    if who.role == "broker":
        await broker_acting_for(db, listings, who, *parties)
        return
    if _org_of(who) not in parties:
        raise Forbidden("only the deal's parties, their brokers and operators may see it")


async def visible_scope(db: Db, listings: ListingsClient,
                        who: Principal) -> DealFilter:
    """The part of the market a caller's list may show."""
    if who.role == "service":
        return DealFilter()
    if who.role == "operator":
        return DealFilter(visible_region=who.region or "-")
    if who.role == "broker":
        broker_id = broker_id_of(who)
        profile = _checked(who, broker_id, await replica.broker(db, listings, broker_id))
        return DealFilter(visible_orgs=list(profile.represents))
    return DealFilter(visible_orgs=[_org_of(who)])


def _org_of(who: Principal) -> uuid.UUID:
    try:
        return uuid.UUID(who.org or "")
    except ValueError:
        raise Forbidden("this token names no organisation") from None
