"""Listing events → the read model, match suggestions, and (after commit) the index.

`apply_listing_events` handles any number of events in the caller's transaction (the
feed gives it a whole poll; the one-by-one fallback a single event). Per listing only the
newest event of the batch matters, and only if it is newer than what the read model
holds: duplicates and stale, out-of-order events change nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event as orm_event
from sqlalchemy.ext.asyncio import AsyncSession

from services.matching import repository
from services.matching.index import MarketIndex
from services.matching.listing_kinds import KINDS, ListingKind, Row, is_ranked, kind_of
from services.matching.settings import MatchingSettings
from services.matching.suggestions import suggest
from shared.events.envelope import CloudEvent


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
        if event.type in kind.snapshot_types:
            row = kind.snapshot_row(event.data)
            row["region"] = regions.get(row["region"].upper(), row["region"])
            changes[kind.name].add_snapshot(event, row)
        else:
            changes[kind.name].add_status(kind.status_row(event.data))
    return changes


async def apply_listing_events(session: AsyncSession, events: Sequence[CloudEvent],
                               index: MarketIndex, settings: MatchingSettings) -> None:
    changes = collect(events, await repository.region_short_codes(session))
    for kind in KINDS:
        if changes[kind.name].touched:
            await _apply(session, kind, changes[kind.name], index, settings)


async def _apply(session: AsyncSession, kind: ListingKind, changes: KindChanges,
                 index: MarketIndex, settings: MatchingSettings) -> None:
    snapshots = [row for _, row in changes.snapshots.values()]
    written = await repository.write_snapshots(session, kind.table, snapshots)
    await repository.write_statuses(session, kind.table, list(changes.statuses.values()))
    rows = await repository.listings(session, kind.table, changes.touched)
    for row in rows:
        event, _ = changes.snapshots.get(row["id"], (None, None))
        if event is not None and _just_published(kind, event, row, written, settings):
            await suggest(session, kind, row, index, settings, str(event.id))
    after_commit(session, lambda: index.queue(kind, rows))


def _just_published(kind: ListingKind, event: CloudEvent, row: Row,
                    written: set[tuple[uuid.UUID, int]], settings: MatchingSettings) -> bool:
    """This batch wrote a recent publication, and nothing newer has replaced it since."""
    published = event.time if event.time.tzinfo else event.time.replace(tzinfo=UTC)
    age = datetime.now(UTC) - published
    return (event.type == kind.published_type and is_ranked(row)
            and (row["id"], row["version"]) in written
            and age <= timedelta(hours=settings.suggest_within_hours))


def after_commit(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Run `callback()` once the session's transaction has committed (never on rollback)."""
    orm_event.listen(session.sync_session, "after_commit", lambda _: callback(), once=True)
