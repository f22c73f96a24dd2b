"""Background jobs of the listings service."""

from __future__ import annotations

from services.listings.service.common import now
from services.listings.service.expiry import expire_lapsed
from services.listings.service.listing_types import LISTING_TYPES
from services.listings.settings import get_listings_settings
from shared.runtime import Runtime


async def expire_listings(runtime: Runtime) -> None:
    """One transaction per batch, so a large backlog never holds locks for long."""
    batch_size = get_listings_settings().expiry_batch_size
    for lt in LISTING_TYPES:
        while True:
            async with runtime.sessionmaker() as session, session.begin():
                looked_at = await expire_lapsed(session, lt, now(), batch_size)
            if looked_at < batch_size:
                break
