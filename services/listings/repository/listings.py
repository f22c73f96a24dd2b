"""Queries on offers and needs (both are listings, each in its own table).

Each table's statements are SQL text written once at import (`ListingTable`): asyncpg
prepares and caches one statement per text, so a create or a read does no per-request
SQL building. Every read leaves out `search_terms`: the text index is large and never shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import asyncpg
import orjson

from shared.db import Db
from shared.pagination import Page

# A constant in the text, never a parameter, so the planner can use the partial indexes
# of the migration (`ix_<table>_open_<until>`).
OPEN = "status IN ('draft', 'published')"

# What offers and needs have in common (their lifecycle), after each table's own columns.
_LISTING_COLUMNS = ("id", "title", "description", "industry", "keywords", "modes", "region",
                    "status", "deal_id", "created_by", "version", "created_at", "updated_at",
                    "published_at")
# A column holding terms as one space-separated string (terms never contain spaces): one
# text parameter is far cheaper to bind than an array of hundreds.
_TERMS = "array_to_tsvector(string_to_array(${}, ' '))"


class ListingTable:
    """One listing table: its stored columns (`search_terms` aside) and its statements."""

    def __init__(self, name: str, own_columns: tuple[str, ...], *, owner: str, until: str,
                 json_columns: frozenset[str] = frozenset()) -> None:
        self.name, self.owner, self.until = name, owner, until
        self.columns: tuple[str, ...] = (*own_columns, *_LISTING_COLUMNS)
        self.column_set = frozenset(self.columns)
        self.json_columns = json_columns
        shown = ", ".join(self.columns)
        values = [f"${n}::text::jsonb" if column in json_columns else f"${n}"
                  for n, column in enumerate(self.columns, start=1)]
        # JSON columns travel as text the caller encodes once (orjson), cast in the SQL.
        self.insert = (f"INSERT INTO {name} ({shown}, search_terms) VALUES "
                       f"({', '.join(values)}, {_TERMS.format(len(self.columns) + 1)})")
        self.by_id = f"SELECT {shown} FROM {name} WHERE id = $1"
        self.by_id_locked = self.by_id + " FOR UPDATE"
        # Others' locks are skipped so that several replicas can run the expiry job at once.
        self.lapsed = (f"SELECT {shown} FROM {name} WHERE {OPEN} AND {until} < $1 "
                       f"ORDER BY {until} LIMIT $2 FOR UPDATE SKIP LOCKED")
        self.shown = shown

    def __repr__(self) -> str:
        return f"ListingTable({self.name!r})"


OFFERS = ListingTable(
    "offers", ("owner_org_id", "kind", "summary", "trl", "ip", "asking_price_fen",
               "valid_until"),
    owner="owner_org_id", until="valid_until", json_columns=frozenset({"ip"}))
NEEDS = ListingTable(
    "needs", ("buyer_org_id", "min_trl", "budget_min_fen", "budget_max_fen", "cross_region_ok",
              "deadline"),
    owner="buyer_org_id", until="deadline")


@dataclass(frozen=True)
class ListingQuery:
    """What GET /offers and GET /needs filter on; `tsquery` comes from domain.text_search."""

    industry: str | None = None
    region: str | None = None
    status: str | None = None
    owner_org_id: uuid.UUID | None = None
    tsquery: str | None = None


async def insert_listing(db: Db, table: ListingTable, row: dict[str, Any],
                         terms: Sequence[str]) -> None:
    """Every create runs it: one prepared statement."""
    values = [orjson.dumps(row[column]).decode() if column in table.json_columns
              else row[column] for column in table.columns]
    await db.execute(table.insert, *values, " ".join(terms))


async def update_listing(db: Db, table: ListingTable, listing_id: uuid.UUID,
                         values: dict[str, Any], terms: Sequence[str] | None = None) -> None:
    """Sets `values` (the table's columns) and, given `terms`, the text index."""
    sql = _update(table, tuple(values), terms is not None)
    extra = (" ".join(terms),) if terms is not None else ()
    await db.execute(sql, listing_id, *values.values(), *extra)


@cache
def _update(table: ListingTable, columns: tuple[str, ...], with_terms: bool) -> str:
    # The column sets are few (each status change, a content change): one text each.
    unknown = set(columns) - table.column_set
    if unknown:
        raise ValueError(f"{table.name} has no columns {sorted(unknown)}")
    assignments = [f"{column} = ${n}" for n, column in enumerate(columns, start=2)]
    if with_terms:
        assignments.append("search_terms = " + _TERMS.format(len(columns) + 2))
    return f"UPDATE {table.name} SET {', '.join(assignments)} WHERE id = $1"


async def listing_by_id(db: Db, table: ListingTable, listing_id: uuid.UUID, *,
                        for_update: bool = False) -> dict[str, Any] | None:
    row = await db.fetchrow(table.by_id_locked if for_update else table.by_id, listing_id)
    return dict(row) if row else None


async def listings(db: Db, table: ListingTable, query: ListingQuery,
                   page: Page) -> list[dict[str, Any]]:
    """A page of listings, newest first, `page.limit + 1` rows to tell whether more follow.

    Each filter is a fixed fragment with its own parameter; every combination has an
    index that ends in the page order (see the migration)."""
    conditions: list[str] = []
    args: list[Any] = []
    for column, value in (("industry", query.industry), ("region", query.region),
                          ("status", query.status), (table.owner, query.owner_org_id)):
        if value is not None:
            args.append(value)
            conditions.append(f"{column} = ${len(args)}")
    if query.tsquery is not None:
        args.append(query.tsquery)
        conditions.append(f"search_terms @@ ${len(args)}::tsquery")
    if page.after:
        args.extend(page.after)
        conditions.append(f"(created_at, id) < (${len(args) - 1}, ${len(args)})")
    args.append(page.limit + 1)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = (f"SELECT {table.shown} FROM {table.name}{where} "
           f"ORDER BY created_at DESC, id DESC LIMIT ${len(args)}")
    return _dicts(await db.fetch(sql, *args))


async def lapsed_listings(db: Db, table: ListingTable, today: date,
                          limit: int) -> list[dict[str, Any]]:
    """Open listings whose validity ended before `today`, locked."""
    return _dicts(await db.fetch(table.lapsed, today, limit))


def _dicts(rows: list[asyncpg.Record]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]
