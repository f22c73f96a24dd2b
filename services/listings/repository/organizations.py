"""Queries on organisations."""

from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from services.listings.models import Organization
from shared.pagination import Page


async def add(session: AsyncSession, row: object) -> None:
    session.add(row)
    await session.flush()


async def organization_by_id(session: AsyncSession, org_id: uuid.UUID) -> Organization | None:
    return await session.get(Organization, org_id)


async def organization_by_credit_code(session: AsyncSession, code: str) -> Organization | None:
    stmt = select(Organization).where(Organization.credit_code == code)
    return (await session.execute(stmt)).scalar_one_or_none()


async def organization_kinds(session: AsyncSession,
                             org_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Kind of each organisation among `org_ids` that exists."""
    if not org_ids:
        return {}
    stmt = select(Organization.id, Organization.kind).where(Organization.id.in_(org_ids))
    return {row.id: row.kind for row in await session.execute(stmt)}


async def organizations(session: AsyncSession, page: Page, region: str | None,
                        kind: str | None) -> list[Organization]:
    stmt = select(Organization)
    if region:
        stmt = stmt.where(Organization.region == region)
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    if page.after:
        stmt = stmt.where(tuple_(Organization.created_at, Organization.id) > page.after)
    stmt = stmt.order_by(Organization.created_at, Organization.id).limit(page.limit + 1)
    return list((await session.execute(stmt)).scalars())
