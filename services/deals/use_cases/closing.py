"""Completing a registered deal, and terminating one that will not be completed."""

from __future__ import annotations

import uuid

from services.deals import repository
from services.deals.domain import DealAction
from services.deals.schemas import DealOut, TerminateIn
from services.deals.use_cases import access, events, views
from services.deals.use_cases.lifecycle import deal_to_change, move, now
from services.deals.use_cases.listings_client import ListingsClient
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.events.deals import DealCompleted, DealTerminated


async def complete(db: Db, who: Principal, deal_id: uuid.UUID,
                   listings: ListingsClient) -> DealOut:
    found = await deal_to_change(db, deal_id, access.maybe_broker_id(who))
    deal = found.deal
    await access.confirmed_broker(db, listings, who, found.broker, deal.seller_org_id,
                                  deal.buyer_org_id)
    at = now()
    move(deal, DealAction.COMPLETE, at)
    await repository.save(db, deal)
    await outbox.record(db, DealCompleted(**events.parties(deal), completed_at=at))
    return views.deal_out(deal)


async def terminate(db: Db, who: Principal, deal_id: uuid.UUID,
                    body: TerminateIn, listings: ListingsClient) -> DealOut:
    found = await deal_to_change(db, deal_id, access.maybe_broker_id(who))
    deal = found.deal
    await access.confirmed_broker(db, listings, who, found.broker, deal.seller_org_id,
                                  deal.buyer_org_id)
    at = now()
    previous = move(deal, DealAction.TERMINATE, at)
    reason = body.reason.strip()
    deal.termination = {"reason": reason, "previous_status": previous,
                        "terminated_at": at.isoformat()}
    await repository.save(db, deal)
    await outbox.record(db, DealTerminated(**events.parties(deal), reason=reason,
                                           previous_status=previous, terminated_at=at))
    return views.deal_out(deal)
