"""Background jobs of the listings service."""

from __future__ import annotations

from services.listings.settings import get_listings_settings
from services.listings.use_cases.common import now
from services.listings.use_cases.expiry import expire_lapsed
from services.listings.use_cases.listing_types import LISTING_TYPES
from shared.runtime import Runtime


async def expire_listings(runtime: Runtime) -> None:
    """One unit of work per batch, so a large backlog never holds locks for long."""
    batch_size = get_listings_settings().expiry_batch_size
    for lt in LISTING_TYPES:
        while True:
            async with runtime.database.unit() as db:
                looked_at = await expire_lapsed(db, lt, now(), batch_size)
            if looked_at < batch_size:
                break
