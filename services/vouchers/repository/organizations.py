"""The replica of listings' organisations (enterprises and providers)."""

from __future__ import annotations

import uuid

import asyncpg
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers.models import Organization
from shared.events.listings import OrganizationRegistered
from shared.legacy_db import Db, driver

ORGANIZATION = ("SELECT id, name, credit_code, region, kind, small_firm, replicated_at "
                "FROM organizations WHERE id = $1")


async def upsert_organization(session: AsyncSession, org: OrganizationRegistered) -> None:
    values = {"id": uuid.UUID(org.organization_id), "name": org.name,
              "credit_code": org.credit_code, "region": org.region, "kind": org.kind,
              "small_firm": org.small_firm, "replicated_at": func.clock_timestamp()}
    stmt = insert(Organization).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[Organization.id],
        set_={k: v for k, v in values.items() if k != "id"})
    await session.execute(stmt)


async def organization_by_id(db: Db, org_id: uuid.UUID) -> asyncpg.Record | None:
    return await (await driver(db)).fetchrow(ORGANIZATION, org_id)
