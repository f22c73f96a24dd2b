"""What deals do to listings (from `deals.events`): a deal opened on a published offer or
need puts it in_deal; a terminated deal puts it back on the market; a completed deal makes
the offer transacted and the need fulfilled.

These run in the consumer's unit of work (the inbox makes each event count once). An event
that does not fit the listing's state — a listing unknown here, in another deal, or
withdrawn meanwhile — changes nothing and is logged: refusing it would only send a valid
event of another service to the dead-letter topic.
"""

from __future__ import annotations

import logging
import uuid

from services.listings.domain.lifecycle import ListingAction, TransitionNotAllowed
from services.listings.repository import listings as repository
from services.listings.use_cases.common import now
from services.listings.use_cases.listing_types import NEED, OFFER, ListingType
from services.listings.use_cases.transitions import move
from shared.db import Db

log = logging.getLogger(__name__)


async def apply_deal_outcome(db: Db, action: ListingAction, deal_id: str,
                             offer_id: str | None, need_id: str | None,
                             causation_id: str) -> None:
    deal = uuid.UUID(deal_id)
    for lt, listing_id in ((OFFER, offer_id), (NEED, need_id)):
        if listing_id is not None:
            await _apply(db, lt, uuid.UUID(listing_id), deal, action, causation_id)


async def _apply(db: Db, lt: ListingType, listing_id: uuid.UUID,
                 deal_id: uuid.UUID, action: ListingAction, causation_id: str) -> None:
    row = await repository.listing_by_id(db, lt.table, listing_id, for_update=True)
    if row is None:
        log.warning("deal %s names %s %s, unknown here; ignored", deal_id, lt.name, listing_id)
        return
    if action is not ListingAction.OPEN_DEAL and row["deal_id"] != deal_id:
        log.warning("deal %s: %s %s is not in that deal (status %s, deal %s); ignored",
                    deal_id, lt.name, listing_id, row["status"], row["deal_id"])
        return
    try:
        await move(db, lt, row, action, now(), deal_id=deal_id, causation_id=causation_id)
    except TransitionNotAllowed:
        log.warning("deal %s cannot %s %s %s, which is %s; ignored", deal_id, action.value,
                    lt.name, listing_id, row["status"])

