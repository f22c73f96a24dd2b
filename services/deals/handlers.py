"""Event handlers of the deals service, each run by the consumer in the unit of work that
claims the event in the inbox.

They keep the replica of listings' organizations, offers, needs and brokers: only what a
deal needs (owner, region, status, who a broker represents), guarded by version.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.deals import repository
from shared.db import Db
from shared.events import listings as events
from shared.events.envelope import CloudEvent
from shared.inbox import Handler


async def on_organization_registered(db: Db, event: CloudEvent) -> None:
    org = events.OrganizationRegistered.model_validate(event.data)
    await repository.upsert_organization(db, {
        "id": uuid.UUID(org.organization_id), "name": org.name, "credit_code": org.credit_code,
        "region": org.region, "kind": org.kind, "small_firm": org.small_firm})


async def on_offer_snapshot(db: Db, event: CloudEvent) -> None:
    offer = events.OfferSnapshot.model_validate(event.data)
    await repository.upsert_offer(db, {
        "id": uuid.UUID(offer.offer_id), "owner_org_id": uuid.UUID(offer.owner_org_id),
        **_listing_facts(offer)})


async def on_need_snapshot(db: Db, event: CloudEvent) -> None:
    need = events.NeedSnapshot.model_validate(event.data)
    await repository.upsert_need(db, {
        "id": uuid.UUID(need.need_id), "buyer_org_id": uuid.UUID(need.buyer_org_id),
        **_listing_facts(need)})


def _listing_facts(listing: events.OfferSnapshot | events.NeedSnapshot) -> dict[str, Any]:
    return {"title": listing.title, "region": listing.region, "status": listing.status,
            "version": listing.version}


async def on_offer_status(db: Db, event: CloudEvent) -> None:
    change = events.OfferStatusChanged.model_validate(event.data)
    await repository.set_offer_status(db, uuid.UUID(change.offer_id), change.status,
                                      change.version)


async def on_need_status(db: Db, event: CloudEvent) -> None:
    change = events.NeedStatusChanged.model_validate(event.data)
    await repository.set_need_status(db, uuid.UUID(change.need_id), change.status,
                                     change.version)


async def on_broker_profile(db: Db, event: CloudEvent) -> None:
    broker = events.BrokerProfile.model_validate(event.data)
    await repository.upsert_broker(db, {
        "id": uuid.UUID(broker.broker_id), "name": broker.name,
        "certificate_no": broker.certificate_no, "region": broker.region,
        "agency_org_id": uuid.UUID(broker.agency_org_id),
        "represents": [uuid.UUID(org) for org in broker.represents],
        "version": broker.version})


LISTINGS_HANDLERS: dict[str, Handler] = {
    events.OrganizationRegistered.event_type: on_organization_registered,
    **{e.event_type: on_offer_snapshot for e in (events.OfferPublished, events.OfferUpdated)},
    **{e.event_type: on_offer_status for e in (
        events.OfferWithdrawn, events.OfferExpired, events.OfferInDeal, events.OfferTransacted)},
    **{e.event_type: on_need_snapshot for e in (events.NeedPublished, events.NeedUpdated)},
    **{e.event_type: on_need_status for e in (
        events.NeedWithdrawn, events.NeedExpired, events.NeedInDeal, events.NeedFulfilled)},
    **{e.event_type: on_broker_profile for e in (events.BrokerRegistered, events.BrokerUpdated)},
}
