"""Expiry: open listings whose valid_until (offers) or deadline (needs) has passed become
expired, each with its event. Run by the background job in batches."""

from __future__ import annotations

from datetime import datetime

from services.listings.domain.lifecycle import ListingAction, is_expired
from services.listings.repository import listings as repository
from services.listings.use_cases.listing_types import ListingType
from services.listings.use_cases.transitions import move
from shared.china_time import china_date
from shared.db import Db


async def expire_lapsed(db: Db, lt: ListingType, moment: datetime,
                        batch_size: int) -> int:
    """Expire up to `batch_size` lapsed listings; how many rows were looked at (a full
    batch means more may be waiting)."""
    today = china_date(moment)
    rows = await repository.lapsed_listings(db, lt.table, today, batch_size)
    for row in rows:
        if is_expired(row[lt.until_field], moment):  # the domain has the last word
            await move(db, lt, row, ListingAction.EXPIRE, moment)
    return len(rows)
