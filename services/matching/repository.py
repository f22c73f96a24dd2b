"""Every query of the matching service: inbox claims, the read model, regions."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.events.envelope import CloudEvent
from shared.tables import inbox, regions

Row = dict[str, Any]


async def claim(session: AsyncSession, consumer: str,
                events: Sequence[CloudEvent]) -> list[CloudEvent]:
    """Record events in the inbox; the ones not seen before, in their order."""
    if not events:
        return []
    unique = list({event.id: event for event in events}.values())
    # executemany (one cached statement, batched by SQLAlchemy), not a VALUES list
    # compiled afresh for every poll.
    stmt = insert(inbox).on_conflict_do_nothing().returning(inbox.c.event_id)
    rows = [{"consumer": consumer, "event_id": e.id, "type": e.type} for e in unique]
    fresh = set((await session.execute(stmt, rows)).scalars())
    return [event for event in unique if event.id in fresh]


async def region_short_codes(session: AsyncSession) -> dict[str, str]:
    """Every way a region may be written (110000, BJ) → its short code."""
    rows = (await session.execute(select(regions.c.code, regions.c.short_code))).all()
    return {name: short for code, short in rows for name in (code, short)}


async def write_snapshots(session: AsyncSession, table: Table,
                          rows: Sequence[Row]) -> set[tuple[uuid.UUID, int]]:
    """Insert or overwrite listings, unless the stored version is as new or newer.

    Returns (id, version) of the rows actually written: an older or repeated event writes
    nothing. Each written row takes a fresh `seq`, the order it enters the index.
    """
    if not rows:
        return set()
    proposed = insert(table)
    written = {name: proposed.excluded[name] for name in rows[0] if name != "id"}
    stmt = proposed.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={**written, "seq": proposed.excluded.seq, "updated_at": func.now()},
        where=table.c.version < proposed.excluded.version,
    ).returning(table.c.id, table.c.version)
    result = await session.execute(stmt, list(rows))
    return {(row.id, row.version) for row in result}


async def write_statuses(session: AsyncSession, table: Table, rows: Sequence[Row]) -> None:
    """Move listings to a new status, unless the stored version is as new or newer.

    A listing not seen yet is remembered by id, status and version alone: its older
    snapshot, should it arrive later, must not put it back on the market.
    """
    if not rows:
        return
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.id],
        set_={"status": stmt.excluded.status, "version": stmt.excluded.version,
              "updated_at": func.now()},
        where=table.c.version < stmt.excluded.version,
    )
    await session.execute(stmt, list(rows))


async def listings(session: AsyncSession, table: Table,
                   ids: Collection[uuid.UUID]) -> list[Row]:
    """The stored rows of these listings, in the order they entered the index."""
    if not ids:
        return []
    stmt = select(table).where(table.c.id.in_(list(ids))).order_by(table.c.seq)
    return [dict(row) for row in (await session.execute(stmt)).mappings()]


async def listing(session: AsyncSession, table: Table, listing_id: uuid.UUID) -> Row | None:
    row = (await session.execute(select(table).where(table.c.id == listing_id))).mappings()
    found = row.first()
    return dict(found) if found else None


async def published_page(session: AsyncSession, table: Table, after_seq: int,
                         size: int) -> list[Row]:
    """Published listings after `after_seq`, in seq order (the start-up rebuild)."""
    stmt = (select(table)
            .where(table.c.status == "published", table.c.seq > after_seq)
            .order_by(table.c.seq)
            .limit(size))
    return [dict(row) for row in (await session.execute(stmt)).mappings()]
