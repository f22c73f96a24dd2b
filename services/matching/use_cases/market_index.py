"""The in-memory index against the database: its start-up rebuild, and its size in /metrics.

The rebuild reads the read model page by page, each page in a read-only unit of its own,
so no connection is held (and no transaction kept open) for the whole rebuild, and the
event loop answers /healthz and /readyz between pages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from prometheus_client import Gauge

from services.matching import repository
from services.matching.domain.listings import KINDS, NEED, OFFER, ListingKind, Row
from services.matching.domain.market_index import MarketIndex
from shared.db import Database, Mode

INDEXED = Gauge("techmarket_matching_indexed_listings", "Listings ranked by the index", ["kind"])


async def rebuild(database: Database, index: MarketIndex, page_size: int) -> None:
    """Index every published listing of the read model, then declare the index ready."""
    await index.rebuild(published_pages(database, page_size))


async def published_pages(database: Database, page_size: int,
                          ) -> AsyncIterator[tuple[ListingKind, Sequence[Row]]]:
    """Published listings of each kind, in seq order, `page_size` at a time."""
    for kind in KINDS:
        last_seq = 0
        while True:
            async with database.unit(Mode.READ) as db:
                rows = await repository.published_page(db, kind, last_seq, page_size)
            yield kind, rows
            if len(rows) < page_size:
                break
            last_seq = rows[-1]["seq"]


def count_indexed(index: MarketIndex) -> None:
    """`techmarket_matching_indexed_listings{kind}` reports the listings `index` ranks."""
    INDEXED.labels(OFFER.name).set_function(lambda: len(index.offers))
    INDEXED.labels(NEED.name).set_function(lambda: len(index.needs))
