"""The consumer of `listings.events`: a poll's events in one unit of work, then the index.

Catching up on a long topic (a new deployment, a rebuilt database) one transaction per
event would cap indexing far below the engine's pace, so the feed applies a poll's
events together: one inbox insert, one upsert per kind. A run of records is cut where the
kind of listing changes, so the suggestions for a published need see every offer that
came before it on the topic. If a batch fails, its records go through the shared one-by-
one path (bounded retries, then the dead-letter topic), so one poison event never
blocks or drops its neighbours. Either way the index is given the rows only once their
unit has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TypeAlias

from aiokafka import TopicPartition
from aiokafka.structs import ConsumerRecord

from services.matching.domain.listings import ListingKind
from services.matching.domain.market_index import MarketIndex
from services.matching.settings import MatchingSettings
from services.matching.use_cases.listing_events import HANDLED_TYPES, kind_of
from services.matching.use_cases.read_model import Written, apply_listing_events
from shared.db import Db
from shared.events.envelope import CloudEvent
from shared.events.listings import TOPIC as LISTINGS_TOPIC
from shared.inbox import EventConsumer, Handler, PoisonEvent, claim_all, parse
from shared.metrics import EVENTS_CONSUMED, EVENTS_DUPLICATE
from shared.runtime import Runtime

log = logging.getLogger(__name__)
Record: TypeAlias = ConsumerRecord  # type: ignore[type-arg]
Batches = dict[TopicPartition, list[Record]]


class ListingFeed(EventConsumer):
    def __init__(self, runtime: Runtime, index: MarketIndex, settings: MatchingSettings,
                 group: str) -> None:
        shared = runtime.settings
        handled: dict[str, Handler] = {event_type: self._one for event_type in HANDLED_TYPES}
        super().__init__(group, [LISTINGS_TOPIC], handled, runtime.database,
                         runtime.producer, runtime.broker,
                         max_attempts=shared.consumer_max_attempts,
                         retry_base_seconds=shared.consumer_retry_base_seconds,
                         fetch_max_wait_ms=settings.fetch_max_wait_ms)
        self.index = index
        self.settings = settings
        self._last_kind: ListingKind | None = None
        self._uncommitted: Written = []  # the one-by-one path's rows, until its commit

    async def handle(self, batches: Batches) -> None:
        for run in runs_by_kind(_in_order(batches)):
            kind = _kind_of(run)
            if kind is not self._last_kind:
                # Suggestions of this run rank the other kind: it must be fully indexed.
                await self.index.drain()
            await self._apply_run(run)
            # Committed: the index catches up in the background while the next poll is
            # fetched and written (a crash loses nothing: the rebuild reads the database).
            self.index.drain_soon()
            self._last_kind = kind
        for tp, records in batches.items():
            if records:
                self._processed[tp] = records[-1].offset + 1

    async def _one(self, db: Db, event: CloudEvent) -> None:
        """The one-by-one handler (shared inbox path, with its retries and dead letters)."""
        self._uncommitted = await apply_listing_events(db, [event], self.index, self.settings)

    async def apply(self, event: CloudEvent, handler: Handler) -> bool:
        """The shared path's unit for one event; its rows reach the index if it committed."""
        self._uncommitted = []
        committed = await super().apply(event, handler)
        written, self._uncommitted = self._uncommitted, []
        if committed:
            self._follow(written)
        return committed

    def _follow(self, written: Written) -> None:
        for kind, rows in written:
            self.index.queue(kind, rows)

    async def _apply_run(self, run: list[tuple[Record, CloudEvent | None]]) -> None:
        events = [event for _, event in run if event is not None]
        if len(run) == 1 or len(events) < len(run):
            return await self._one_by_one(run)
        written: Written = []
        try:
            async with self.database.unit() as db:
                fresh = await claim_all(db, self.name, events)
                if fresh:
                    written = await apply_listing_events(db, fresh, self.index, self.settings)
        except Exception as exc:
            log.warning("%s: batch of %d failed (%r); retrying one by one",
                        self.name, len(run), exc)
            return await self._one_by_one(run)
        self._follow(written)
        EVENTS_DUPLICATE.labels(self.name).inc(len(events) - len(fresh))
        for event in fresh:
            EVENTS_CONSUMED.labels(self.name, event.type).inc()

    async def _one_by_one(self, run: list[tuple[Record, CloudEvent | None]]) -> None:
        for record, _ in run:
            await self.process(record)
            await self.index.drain()


def _kind_of(run: list[tuple[Record, CloudEvent | None]]) -> ListingKind | None:
    event = run[0][1]
    return kind_of(event.type) if event is not None else None


def _in_order(batches: Batches) -> Iterator[tuple[Record, CloudEvent | None]]:
    """Records with their parsed event (None when unparseable: the shared path
    dead-letters it); events matching does not follow are left out."""
    for records in batches.values():
        for record in records:
            try:
                event: CloudEvent | None = parse(record.value, record.topic)
            except PoisonEvent:
                event = None
            if event is None or kind_of(event.type) is not None:
                yield record, event


def runs_by_kind(records: Iterator[tuple[Record, CloudEvent | None]],
          ) -> Iterator[list[tuple[Record, CloudEvent | None]]]:
    """Consecutive records about one kind of listing; an unparseable record stands alone."""
    run: list[tuple[Record, CloudEvent | None]] = []
    current: ListingKind | None = None
    for record, event in records:
        kind = kind_of(event.type) if event is not None else None
        if run and (kind is None or kind is not current):
            yield run
            run = []
        run.append((record, event))
        current = kind
        if kind is None:
            yield run
            run, current = [], None
    if run:
        yield run
