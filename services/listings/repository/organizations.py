"""Queries on organisations."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

import asyncpg

from shared.db import Db
from shared.pagination import Page

_COLUMNS = ("id, name, credit_code, region, kind, small_firm, high_tech_cert, version, "
            "created_at")
_INSERT = f"""INSERT INTO organizations ({_COLUMNS})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING true"""
_BY_ID = f"SELECT {_COLUMNS} FROM organizations WHERE id = $1"
_BY_CREDIT_CODE = f"SELECT {_COLUMNS} FROM organizations WHERE credit_code = $1"
_KINDS = "SELECT id, kind FROM organizations WHERE id = ANY($1::uuid[])"


async def insert_organization(db: Db, row: dict[str, Any]) -> bool:
    """False when an organisation with that credit code (or id) is already registered.
    `high_tech_cert` is a dict or None (JSONB)."""
    inserted = await db.fetchval(_INSERT, row["id"], row["name"], row["credit_code"],
                                 row["region"], row["kind"], row["small_firm"],
                                 row["high_tech_cert"], row["version"], row["created_at"])
    return bool(inserted)


async def organization_by_id(db: Db, org_id: uuid.UUID) -> asyncpg.Record | None:
    return await db.fetchrow(_BY_ID, org_id)


async def organization_by_credit_code(db: Db, code: str) -> asyncpg.Record | None:
    return await db.fetchrow(_BY_CREDIT_CODE, code)


async def organization_kinds(db: Db, org_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Kind of each organisation among `org_ids` that exists."""
    if not org_ids:
        return {}
    return {row["id"]: row["kind"] for row in await db.fetch(_KINDS, list(org_ids))}


async def organizations(db: Db, page: Page, region: str | None,
                        kind: str | None) -> list[asyncpg.Record]:
    """A page, oldest first, `page.limit + 1` rows to tell whether more follow."""
    conditions: list[str] = []
    args: list[Any] = []
    if region:
        args.append(region)
        conditions.append(f"region = ${len(args)}")
    if kind:
        args.append(kind)
        conditions.append(f"kind = ${len(args)}")
    if page.after:
        args.extend(page.after)
        conditions.append(f"(created_at, id) > (${len(args) - 1}, ${len(args)})")
    args.append(page.limit + 1)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = (f"SELECT {_COLUMNS} FROM organizations{where} ORDER BY created_at, id "
           f"LIMIT ${len(args)}")
    return await db.fetch(sql, *args)
