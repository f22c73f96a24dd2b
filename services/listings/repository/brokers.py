"""Queries on brokers and the organisations they represent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.db import Db
from shared.pagination import Page

_COLUMNS = "id, name, certificate_no, region, agency_org_id, version, created_at, updated_at"
_INSERT = f"""INSERT INTO brokers ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT DO NOTHING RETURNING true"""
_BY_ID = f"SELECT {_COLUMNS} FROM brokers WHERE id = $1"
_BY_ID_LOCKED = _BY_ID + " FOR UPDATE"
_BY_CERTIFICATE = "SELECT id FROM brokers WHERE certificate_no = $1"
_DELETE_CLIENTS = "DELETE FROM broker_clients WHERE broker_id = $1"
# Positions keep the order the operator gave, from 0.
_INSERT_CLIENTS = """INSERT INTO broker_clients (broker_id, org_id, position)
    SELECT $1, c.org_id, c.n - 1 FROM unnest($2::uuid[]) WITH ORDINALITY AS c(org_id, n)"""
_CLIENTS = """SELECT broker_id, org_id FROM broker_clients WHERE broker_id = ANY($1::uuid[])
    ORDER BY broker_id, position"""
# The columns a change may set, each a fixed fragment.
_CHANGEABLE = ("name", "certificate_no", "version", "updated_at")


async def insert_broker(db: Db, row: dict[str, Any]) -> bool:
    """False when a broker with that certificate (or id) is already registered."""
    inserted = await db.fetchval(_INSERT, row["id"], row["name"], row["certificate_no"],
                                 row["region"], row["agency_org_id"], row["version"],
                                 row["created_at"], row["updated_at"])
    return bool(inserted)


async def update_broker(db: Db, broker_id: uuid.UUID, values: dict[str, Any]) -> bool:
    """Sets `values` (among name, certificate_no, version, updated_at); False when the new
    certificate is another broker's, which aborts the unit's transaction: the caller
    refuses the change (nothing more can run in that unit)."""
    unknown = set(values) - set(_CHANGEABLE)
    if unknown:
        raise ValueError(f"brokers: cannot change {sorted(unknown)}")
    columns = [column for column in _CHANGEABLE if column in values]
    assignments = ", ".join(f"{column} = ${n}" for n, column in enumerate(columns, start=2))
    try:
        await db.execute(f"UPDATE brokers SET {assignments} WHERE id = $1", broker_id,
                         *(values[column] for column in columns))
    except asyncpg.UniqueViolationError:
        return False
    return True


async def replace_clients(db: Db, broker_id: uuid.UUID, org_ids: Sequence[uuid.UUID]) -> None:
    await db.execute(_DELETE_CLIENTS, broker_id)
    if org_ids:
        await db.execute(_INSERT_CLIENTS, broker_id, list(org_ids))


async def broker_by_id(db: Db, broker_id: uuid.UUID, *,
                       for_update: bool = False) -> dict[str, Any] | None:
    row = await db.fetchrow(_BY_ID_LOCKED if for_update else _BY_ID, broker_id)
    return dict(row) if row else None


async def broker_id_by_certificate(db: Db, certificate_no: str) -> uuid.UUID | None:
    found: uuid.UUID | None = await db.fetchval(_BY_CERTIFICATE, certificate_no)
    return found


@dataclass(frozen=True)
class Representation:
    """An organisation's region and, for a broker, whether it represents the organisation."""

    owner_region: str
    broker_agency_id: uuid.UUID | None  # None: no such broker
    represented: bool


# Every write of a listing asks it: one prepared statement.
_REPRESENTATION = """SELECT o.region,
        (SELECT b.agency_org_id FROM brokers b WHERE b.id = $2),
        EXISTS (SELECT FROM broker_clients c WHERE c.broker_id = $2 AND c.org_id = $1)
    FROM organizations o WHERE o.id = $1"""


async def representation(db: Db, org_id: uuid.UUID,
                         broker_id: uuid.UUID | None) -> Representation | None:
    """None when the organisation is not registered."""
    row = await db.fetchrow(_REPRESENTATION, org_id, broker_id)
    return Representation(row[0], row[1], bool(row[2])) if row else None


async def clients_of(db: Db, broker_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The represented organisations of each broker, in the order they were given."""
    found: dict[uuid.UUID, list[uuid.UUID]] = {broker_id: [] for broker_id in broker_ids}
    if broker_ids:
        for row in await db.fetch(_CLIENTS, list(broker_ids)):
            found[row["broker_id"]].append(row["org_id"])
    return found


async def brokers(db: Db, page: Page, region: str | None,
                  agency_org_id: uuid.UUID | None) -> list[dict[str, Any]]:
    """A page of brokers, oldest first, `page.limit + 1` rows to tell whether more follow."""
    conditions: list[str] = []
    args: list[Any] = []
    if region:
        args.append(region)
        conditions.append(f"region = ${len(args)}")
    if agency_org_id:
        args.append(agency_org_id)
        conditions.append(f"agency_org_id = ${len(args)}")
    if page.after:
        args.extend(page.after)
        conditions.append(f"(created_at, id) > (${len(args) - 1}, ${len(args)})")
    args.append(page.limit + 1)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = f"SELECT {_COLUMNS} FROM brokers{where} ORDER BY created_at, id LIMIT ${len(args)}"
    return [dict(row) for row in await db.fetch(sql, *args)]
