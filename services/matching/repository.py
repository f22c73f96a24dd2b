"""Every query of the matching service: inbox claims, the read model, regions, feed slots.

The read model is one table per kind of listing (`offers`, `needs`, see models.py); each
function takes the kind and runs that table's SQL, written out once per table below.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from services.matching.domain.listings import NEED, OFFER, ListingKind
from shared.db import Db

Row = dict[str, Any]

# What a snapshot event writes of a listing (all but seq and updated_at, set here).
_WRITTEN = {
    OFFER.name: ("status", "version", "owner_org_id", "kind", "title", "summary",
                 "description", "industry", "keywords", "trl", "modes", "asking_price_fen",
                 "region", "valid_until", "published_at"),
    NEED.name: ("status", "version", "buyer_org_id", "title", "description", "industry",
                "keywords", "min_trl", "budget_min_fen", "budget_max_fen", "cross_region_ok",
                "modes", "region", "deadline", "published_at"),
}
_TABLES = {OFFER.name: "offers", NEED.name: "needs"}


def _columns(kind: str) -> str:
    return ", ".join(("id", *_WRITTEN[kind]))


def _stored(kind: str) -> str:
    return f"{_columns(kind)}, seq, updated_at"


# A poll's snapshots in one statement: the rows travel as one JSON array, typed by the
# table's own row type. Each written row takes a fresh `seq` (the column's default).
def _write_snapshots(kind: str) -> str:
    table = _TABLES[kind]
    updates = ", ".join(f"{c} = excluded.{c}" for c in _WRITTEN[kind])
    return f"""INSERT INTO {table} ({_columns(kind)})
        SELECT {_columns(kind)} FROM jsonb_populate_recordset(NULL::{table}, $1::jsonb)
        ON CONFLICT (id) DO UPDATE SET {updates}, seq = excluded.seq, updated_at = now()
        WHERE {table}.version < excluded.version
        RETURNING id, version"""


def _write_statuses(table: str) -> str:
    return f"""INSERT INTO {table} (id, status, version)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[])
        ON CONFLICT (id) DO UPDATE SET status = excluded.status, version = excluded.version,
            updated_at = now()
        WHERE {table}.version < excluded.version"""


_SQL = {
    kind: {
        "write_snapshots": _write_snapshots(kind),
        "write_statuses": _write_statuses(table),
        "listings": f"SELECT {_stored(kind)} FROM {table} WHERE id = ANY($1::uuid[]) "
                    "ORDER BY seq",
        "listing": f"SELECT {_stored(kind)} FROM {table} WHERE id = $1",
        "published_page": f"SELECT {_stored(kind)} FROM {table} "
                          "WHERE status = 'published' AND seq > $1 ORDER BY seq LIMIT $2",
    }
    for kind, table in _TABLES.items()
}

# The inbox rows of a whole poll in one statement; RETURNING names the events not seen
# before (the same rows shared.inbox.claim writes one event at a time).
_REGIONS = "SELECT code, short_code FROM regions"
_TRY_SLOT = "SELECT pg_try_advisory_lock($1)"


async def region_short_codes(db: Db) -> dict[str, str]:
    """Every way a region may be written (110000, BJ) → its short code."""
    rows = await db.fetch(_REGIONS)
    return {name: short for code, short in rows for name in (code, short)}


async def write_snapshots(db: Db, kind: ListingKind,
                          rows: Sequence[Row]) -> set[tuple[uuid.UUID, int]]:
    """Insert or overwrite listings, unless the stored version is as new or newer.

    Returns (id, version) of the rows actually written: an older or repeated event writes
    nothing. Each written row takes a fresh `seq`, the order it enters the index.
    """
    if not rows:
        return set()
    written = await db.fetch(_SQL[kind.name]["write_snapshots"], list(rows))
    return {(row[0], row[1]) for row in written}


async def write_statuses(db: Db, kind: ListingKind, rows: Sequence[Row]) -> None:
    """Move listings to a new status, unless the stored version is as new or newer.

    A listing not seen yet is remembered by id, status and version alone: its older
    snapshot, should it arrive later, must not put it back on the market.
    """
    if not rows:
        return
    await db.execute(_SQL[kind.name]["write_statuses"], [r["id"] for r in rows],
                     [r["status"] for r in rows], [r["version"] for r in rows])


async def listings(db: Db, kind: ListingKind, ids: Collection[uuid.UUID]) -> list[Row]:
    """The stored rows of these listings, in the order they entered the index."""
    if not ids:
        return []
    return [dict(row) for row in await db.fetch(_SQL[kind.name]["listings"], list(ids))]


async def listing(db: Db, kind: ListingKind, listing_id: uuid.UUID) -> Row | None:
    found = await db.fetchrow(_SQL[kind.name]["listing"], listing_id)
    return dict(found) if found else None


async def published_page(db: Db, kind: ListingKind, after_seq: int, size: int) -> list[Row]:
    """Published listings after `after_seq`, in seq order (the start-up rebuild)."""
    rows = await db.fetch(_SQL[kind.name]["published_page"], after_seq, size)
    return [dict(row) for row in rows]


async def try_feed_slot(db: Db, lock: int) -> bool:
    """Takes the session-level advisory lock `lock` if no other connection holds it; it is
    held until this connection closes."""
    return bool(await db.fetchval(_TRY_SLOT, lock))
