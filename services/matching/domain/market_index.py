"""The in-memory index of the service: the matching engine plus the documents it ranks.

It follows the committed read model and nothing else. Consumers queue the rows they wrote
once their transaction has committed (a rolled-back transaction queues nothing); the
feed then applies the queue. Applying a row is idempotent: a published row whose version
the index already holds is left alone, any other row leaves the index. So duplicates,
stale events and a replica's writes seen twice all end in the same index.

The documents of ranked listings are kept beside the engine (which keeps none): a
matches request for a published listing and the cards of its matches are answered
without a database round trip, which is most of the cost of a request beside the ranking.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections import deque
from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass
from typing import Any

from .engine import MatchingEngine
from .listings import OFFER, ListingKind, Row, is_ranked

log = logging.getLogger(__name__)
# Rows applied between two yields to the event loop: a put costs ~0.5 ms of tokenising.
_ROWS_PER_YIELD = 64
# The index holds a few Python objects per listing, hundreds of thousands at 100,000 offers:
# a full collection walking them stalls every request for ~0.2 s. Once this many rows
# have been applied, the long-lived objects are frozen out of the collector's way.
_ROWS_BEFORE_FREEZE = 5000


@dataclass(frozen=True, slots=True)
class Held:
    """A ranked listing: the read-model version it was indexed at, and its document."""

    version: int
    doc: Any  # OfferDoc | NeedDoc


class MarketIndex:
    def __init__(self) -> None:
        self.engine = MatchingEngine()
        self.offers: dict[str, Held] = {}
        self.needs: dict[str, Held] = {}
        self.ready = False
        self._queue: deque[tuple[ListingKind, Row]] = deque()
        self._draining: asyncio.Task[None] | None = None
        self._unfrozen = 0  # rows applied since the objects were last frozen

    def held(self, kind: ListingKind) -> dict[str, Held]:
        return self.offers if kind is OFFER else self.needs

    def queue(self, kind: ListingKind, rows: Sequence[Row]) -> None:
        """Rows committed by a consumer, to apply in this order (see drain)."""
        self._queue.extend((kind, row) for row in rows)

    async def drain(self) -> None:
        """Apply every queued row, yielding now and then so requests are still answered.

        Several drains may run at once (see drain_soon): each takes the next row and
        applies it without yielding in between, so rows are applied in queue order.
        """
        applied = 0
        while self._queue:
            kind, row = self._queue.popleft()
            try:
                self.follow(kind, row)
            except Exception:  # one bad row must not stall the others; it is in the DB
                log.exception("could not index %s %s", kind.name, row.get("id"))
            applied += 1
            if applied % _ROWS_PER_YIELD == 0:
                await asyncio.sleep(0)
        self._unfrozen += applied
        if self._unfrozen >= _ROWS_BEFORE_FREEZE:
            _freeze()
            self._unfrozen = 0

    def drain_soon(self) -> None:
        """Drain in the background: the feed goes on writing the next poll meanwhile."""
        if self._draining is None or self._draining.done():
            self._draining = asyncio.create_task(self.drain(), name="matching-index-drain")

    def follow(self, kind: ListingKind, row: Row) -> None:
        """Make the index agree with one read-model row."""
        listing_id = str(row["id"])
        held = self.held(kind)
        if is_ranked(row):
            known = held.get(listing_id)
            if known is None or known.version != row["version"]:
                doc = kind.doc(row)
                kind.put(self.engine, doc)
                held[listing_id] = Held(row["version"], doc)
        elif held.pop(listing_id, None) is not None:
            kind.remove(self.engine, listing_id)

    async def rebuild(self, pages: AsyncIterable[tuple[ListingKind, Sequence[Row]]]) -> None:
        """Index every published listing of the read model, given page by page in the
        order the listings entered it, then declare the index ready."""
        async for kind, rows in pages:
            for row in rows:
                self.follow(kind, row)
            await asyncio.sleep(0)  # between pages, requests (/healthz ...) are answered
        _freeze()
        self.ready = True
        log.info("matching index rebuilt: %d offers, %d needs", len(self.offers),
                 len(self.needs))


def _freeze() -> None:
    """Keep the collector from walking the long-lived index again and again. Only the
    young generations are collected first: a full collection is the pause to avoid."""
    gc.collect(1)
    gc.freeze()
