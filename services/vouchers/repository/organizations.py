"""The replica of listings' organisations (enterprises and providers)."""

from __future__ import annotations

import uuid

import asyncpg

from shared.db import Db
from shared.events.listings import OrganizationRegistered

ORGANIZATION = ("SELECT id, name, credit_code, region, kind, small_firm, replicated_at "
                "FROM organizations WHERE id = $1")

UPSERT = """
    INSERT INTO organizations (id, name, credit_code, region, kind, small_firm, replicated_at)
    VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET
        name = EXCLUDED.name, credit_code = EXCLUDED.credit_code, region = EXCLUDED.region,
        kind = EXCLUDED.kind, small_firm = EXCLUDED.small_firm,
        replicated_at = EXCLUDED.replicated_at"""


async def upsert_organization(db: Db, org: OrganizationRegistered) -> None:
    await db.execute(UPSERT, uuid.UUID(org.organization_id), org.name, org.credit_code,
                     org.region, org.kind, org.small_firm)


async def organization_by_id(db: Db, org_id: uuid.UUID) -> asyncpg.Record | None:
    return await db.fetchrow(ORGANIZATION, org_id)
