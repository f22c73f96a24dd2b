"""Queries on offers and needs (both are listings, each in its own table).

The statements a create or a status change runs are built once per table with bind
parameters: building and cache-keying a fresh statement per request cost more CPU than
the database spends on the insert.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import orjson
from sqlalchemy import (
    Select,
    Table,
    Text,
    bindparam,
    func,
    literal,
    literal_column,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, TSQUERY
from sqlalchemy.ext.asyncio import AsyncSession

from shared.legacy_db import Db, driver
from shared.pagination import Page

# A constant, not parameters, so the planner can use the partial indexes of the migration.
OPEN = text("status IN ('draft', 'published')")


@dataclass(frozen=True)
class ListingQuery:
    """What GET /offers and GET /needs filter on; `tsquery` comes from domain.text_search."""

    industry: str | None = None
    region: str | None = None
    status: str | None = None
    owner_org_id: uuid.UUID | None = None
    tsquery: str | None = None


def _shown(table: Table) -> list[Any]:
    # The text index is large and never shown: leave it out of every read.
    return [column for column in table.c if column.name != "search_terms"]


def _index_value() -> Any:
    # Terms travel as one space-separated string (they never contain spaces): one text
    # parameter is far cheaper to bind than an array of hundreds.
    return func.array_to_tsvector(func.string_to_array(
        bindparam("search_text", type_=Text), literal_column("' '")))


@cache
def _insert(table: Table) -> tuple[str, tuple[str, ...], frozenset[str]]:
    """The INSERT of a new listing as driver SQL, the row keys its parameters take, and
    which of them are JSON.

    Every create runs it: on asyncpg's prepared statement it skips SQLAlchemy's per-call
    work (compile-cache lookup, parameter processing, result wrapping), a fifth of a
    create's CPU. JSON columns travel as text (the driver under the session has no codec
    of its own for them)."""
    columns = [column for column in table.c if column.name != "search_terms"]
    values = [f"${n}::text::jsonb" if isinstance(column.type, JSONB) else f"${n}"
              for n, column in enumerate(columns, start=1)]
    terms = f"array_to_tsvector(string_to_array(${len(columns) + 1}, ' '))"
    sql = (f"INSERT INTO {table.name} ({', '.join(c.name for c in columns)}, search_terms) "
           f"VALUES ({', '.join(values)}, {terms})")
    json_keys = frozenset(column.name for column in columns if isinstance(column.type, JSONB))
    return sql, tuple(column.name for column in columns), json_keys


@cache
def _by_id(table: Table, for_update: bool) -> Select[Any]:
    stmt = select(*_shown(table)).where(table.c.id == bindparam("listing_id"))
    return stmt.with_for_update() if for_update else stmt


async def insert_listing(db: Db, table: Table, row: dict[str, Any],
                         terms: Sequence[str]) -> None:
    sql, keys, json_keys = _insert(table)
    values = [orjson.dumps(row[key]).decode() if key in json_keys else row[key]
              for key in keys]
    await (await driver(db)).execute(sql, *values, " ".join(terms))


async def update_listing(session: AsyncSession, table: Table, listing_id: uuid.UUID,
                         values: dict[str, Any], terms: Sequence[str] | None = None) -> None:
    stmt = update(table).where(table.c.id == listing_id).values(**values)
    if terms is not None:
        stmt = stmt.values(search_terms=_index_value())
        await session.execute(stmt, {"search_text": " ".join(terms)})
    else:
        await session.execute(stmt)


async def listing_by_id(session: AsyncSession, table: Table, listing_id: uuid.UUID, *,
                        for_update: bool = False) -> dict[str, Any] | None:
    result = await session.execute(_by_id(table, for_update), {"listing_id": listing_id})
    row = result.mappings().first()
    return dict(row) if row else None


async def listings(session: AsyncSession, table: Table, owner_column: str, query: ListingQuery,
                   page: Page) -> list[dict[str, Any]]:
    """A page of listings, newest first, `page.limit + 1` rows to tell whether more follow."""
    stmt = select(*_shown(table))
    for column, value in (("industry", query.industry), ("region", query.region),
                          ("status", query.status), (owner_column, query.owner_org_id)):
        if value is not None:
            stmt = stmt.where(table.c[column] == value)
    if query.tsquery is not None:
        stmt = stmt.where(table.c.search_terms.op("@@")(literal(query.tsquery, TSQUERY)))
    if page.after:
        stmt = stmt.where(tuple_(table.c.created_at, table.c.id) < page.after)
    stmt = stmt.order_by(table.c.created_at.desc(), table.c.id.desc()).limit(page.limit + 1)
    return [dict(row) for row in (await session.execute(stmt)).mappings()]


async def lapsed_listings(session: AsyncSession, table: Table, until_column: str,
                          today: date, limit: int) -> list[dict[str, Any]]:
    """Open listings whose validity ended before `today`, locked; others' locks are skipped
    so that several replicas can run the expiry job at once."""
    until = table.c[until_column]
    stmt = (select(*_shown(table))
            .where(OPEN, until < today)
            .order_by(until).limit(limit).with_for_update(skip_locked=True))
    return [dict(row) for row in (await session.execute(stmt)).mappings()]
