"""The in-memory index of the service: the matching engine plus a card per ranked listing.

It follows the committed read model and nothing else. Consumers queue the rows they wrote
once their transaction has committed (a rolled-back transaction queues nothing); the
feed then applies the queue. Applying a row is idempotent: a published row whose version
the index already holds is left alone, any other row leaves the index. So duplicates,
stale events and a replica's writes seen twice all end in the same index.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import deque
from collections.abc import Sequence

from prometheus_client import Gauge
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching import repository
from services.matching.cards import NeedCard, OfferCard
from services.matching.domain import MatchingEngine
from services.matching.listing_kinds import KINDS, NEED, OFFER, ListingKind, Row, is_ranked
from shared.db import SessionMaker

log = logging.getLogger(__name__)
# Rows applied between two yields to the event loop: a put costs ~0.5 ms of tokenising.
_ROWS_PER_YIELD = 64
INDEXED = Gauge("techmarket_matching_indexed_listings", "Listings ranked by the index", ["kind"])


class MarketIndex:
    def __init__(self) -> None:
        self.engine = MatchingEngine()
        self.offers: dict[str, OfferCard] = {}
        self.needs: dict[str, NeedCard] = {}
        self.ready = False
        self._queue: deque[tuple[ListingKind, Row]] = deque()
        INDEXED.labels(OFFER.name).set_function(lambda: len(self.offers))
        INDEXED.labels(NEED.name).set_function(lambda: len(self.needs))

    def cards(self, kind: ListingKind) -> dict[str, OfferCard] | dict[str, NeedCard]:
        return self.offers if kind is OFFER else self.needs

    def queue(self, kind: ListingKind, rows: Sequence[Row]) -> None:
        """Rows committed by a consumer, to apply in this order (see drain)."""
        self._queue.extend((kind, row) for row in rows)

    async def drain(self) -> None:
        """Apply every queued row, yielding now and then so requests are still answered."""
        applied = 0
        while self._queue:
            kind, row = self._queue.popleft()
            self.follow(kind, row)
            applied += 1
            if applied % _ROWS_PER_YIELD == 0:
                await asyncio.sleep(0)

    def follow(self, kind: ListingKind, row: Row) -> None:
        """Make the index agree with one read-model row."""
        listing_id = str(row["id"])
        cards = self.cards(kind)
        if is_ranked(row):
            held = cards.get(listing_id)
            if held is None or held.version != row["version"]:
                kind.put(self.engine, kind.doc(row))
                cards[listing_id] = kind.card(row)  # type: ignore[assignment]
        elif cards.pop(listing_id, None) is not None:
            kind.remove(self.engine, listing_id)

    async def rebuild(self, sessionmaker: SessionMaker, page_size: int) -> None:
        """Index every published listing of the read model, then declare the index ready."""
        for kind in KINDS:
            last_seq = 0
            while True:
                async with sessionmaker() as session:
                    rows = await _page(session, kind, last_seq, page_size)
                for row in rows:
                    self.follow(kind, row)
                if len(rows) < page_size:
                    break
                last_seq = rows[-1]["seq"]
                await asyncio.sleep(0)
        # The index is long-lived: keep the collector from walking it again and again.
        gc.collect()
        gc.freeze()
        self.ready = True
        log.info("matching index rebuilt: %d offers, %d needs", len(self.offers),
                 len(self.needs))


async def _page(session: AsyncSession, kind: ListingKind, after_seq: int,
                size: int) -> Sequence[Row]:
    return await repository.published_page(session, kind.table, after_seq, size)
