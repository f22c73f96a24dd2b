"""Listing events → the read model and match suggestions; the rows for the index.

`apply_listing_events` handles any number of events in the caller's unit of work (the
feed gives it a whole poll; the one-by-one fallback a single event). Per listing only the
newest event of the batch matters, and only if it is newer than what the read model
holds: duplicates and stale, out-of-order events change nothing. It returns the rows as
stored, for the caller to queue on the index once the unit has committed (a rolled-back
unit must leave the index as it was).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from services.matching import repository
from services.matching.domain.listings import KINDS, ListingKind, Row, is_ranked
from services.matching.domain.market_index import MarketIndex
from services.matching.settings import MatchingSettings
from services.matching.use_cases.listing_events import events_of, kind_of
from services.matching.use_cases.suggestions import suggest
from shared.db import Db
from shared.events.envelope import CloudEvent

# Rows as stored, per kind, in the order the index is to apply them.
Written = list[tuple[ListingKind, Sequence[Row]]]


@dataclass
class KindChanges:
    """The newest snapshot and the newest status change per listing of one kind."""

    snapshots: dict[uuid.UUID, tuple[CloudEvent, dict[str, Any]]] = field(default_factory=dict)
    statuses: dict[uuid.UUID, dict[str, Any]] = field(default_factory=dict)

    def add_snapshot(self, event: CloudEvent, row: dict[str, Any]) -> None:
        held = self.snapshots.get(row["id"])
        if held is None or held[1]["version"] < row["version"]:
            self.snapshots[row["id"]] = (event, row)

    def add_status(self, row: dict[str, Any]) -> None:
        held = self.statuses.get(row["id"])
        if held is None or held["version"] < row["version"]:
            self.statuses[row["id"]] = row

    @property
    def touched(self) -> set[uuid.UUID]:
        return set(self.snapshots) | set(self.statuses)


def collect(events: Sequence[CloudEvent], regions: dict[str, str]) -> dict[str, KindChanges]:
    """Parse events (a schema-invalid one raises: the caller dead-letters it)."""
    changes = {kind.name: KindChanges() for kind in KINDS}
    for event in events:
        kind = kind_of(event.type)
        if kind is None:
            continue
        arrives = events_of(kind)
        if event.type in arrives.snapshot_types:
            row = arrives.snapshot_row(event.data)
            row["region"] = regions.get(row["region"].upper(), row["region"])
            changes[kind.name].add_snapshot(event, row)
        else:
            changes[kind.name].add_status(arrives.status_row(event.data))
    return changes


async def apply_listing_events(db: Db, events: Sequence[CloudEvent], index: MarketIndex,
                               settings: MatchingSettings) -> Written:
    """Writes the events to the read model (and their suggestions to the outbox); the
    rows of the listings they touched, for the index once `db`'s unit has committed."""
    changes = collect(events, await repository.region_short_codes(db))
    written: Written = []
    for kind in KINDS:
        if changes[kind.name].touched:
            written.append((kind, await _apply(db, kind, changes[kind.name], index, settings)))
    return written


async def _apply(db: Db, kind: ListingKind, changes: KindChanges, index: MarketIndex,
                 settings: MatchingSettings) -> Sequence[Row]:
    snapshots = [row for _, row in changes.snapshots.values()]
    written = await repository.write_snapshots(db, kind, snapshots)
    await repository.write_statuses(db, kind, list(changes.statuses.values()))
    rows = await repository.listings(db, kind, changes.touched)
    for row in rows:
        event, _ = changes.snapshots.get(row["id"], (None, None))
        if event is not None and _just_published(kind, event, row, written, settings):
            await suggest(db, kind, row, index, settings, str(event.id))
    return rows


def _just_published(kind: ListingKind, event: CloudEvent, row: Row,
                    written: set[tuple[uuid.UUID, int]], settings: MatchingSettings) -> bool:
    """This batch wrote a recent publication, and nothing newer has replaced it since."""
    published = event.time if event.time.tzinfo else event.time.replace(tzinfo=UTC)
    age = datetime.now(UTC) - published
    return (event.type == events_of(kind).published_type and is_ranked(row)
            and (row["id"], row["version"]) in written
            and age <= timedelta(hours=settings.suggest_within_hours))

