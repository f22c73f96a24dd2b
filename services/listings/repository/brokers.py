"""Queries on brokers and the organisations they represent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Table,
    delete,
    insert,
    select,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from services.listings.models import Broker, BrokerClient, Organization
from shared.legacy_db import Db, driver
from shared.pagination import Page

brokers_table = cast(Table, Broker.__table__)
clients_table = cast(Table, BrokerClient.__table__)
organizations_table = cast(Table, Organization.__table__)


async def insert_broker(session: AsyncSession, row: dict[str, Any]) -> None:
    await session.execute(insert(brokers_table).values(**row))


async def update_broker(session: AsyncSession, broker_id: uuid.UUID,
                        values: dict[str, Any]) -> None:
    await session.execute(
        update(brokers_table).where(brokers_table.c.id == broker_id).values(**values))


async def replace_clients(session: AsyncSession, broker_id: uuid.UUID,
                          org_ids: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(clients_table).where(clients_table.c.broker_id == broker_id))
    if org_ids:
        await session.execute(insert(clients_table), [
            {"broker_id": broker_id, "org_id": org_id, "position": n}
            for n, org_id in enumerate(org_ids)])


async def broker_by_id(session: AsyncSession, broker_id: uuid.UUID, *,
                       for_update: bool = False) -> dict[str, Any] | None:
    stmt = select(brokers_table).where(brokers_table.c.id == broker_id)
    if for_update:
        stmt = stmt.with_for_update()
    row = (await session.execute(stmt)).mappings().first()
    return dict(row) if row else None


async def broker_id_by_certificate(session: AsyncSession, certificate_no: str) -> uuid.UUID | None:
    stmt = select(brokers_table.c.id).where(brokers_table.c.certificate_no == certificate_no)
    return (await session.execute(stmt)).scalar_one_or_none()


@dataclass(frozen=True)
class Representation:
    """An organisation's region and, for a broker, whether it represents the organisation."""

    owner_region: str
    broker_agency_id: uuid.UUID | None  # None: no such broker
    represented: bool


# Every write of a listing asks it: one prepared statement on the driver.
_REPRESENTATION = """SELECT o.region,
        (SELECT b.agency_org_id FROM brokers b WHERE b.id = $2),
        EXISTS (SELECT FROM broker_clients c WHERE c.broker_id = $2 AND c.org_id = $1)
    FROM organizations o WHERE o.id = $1"""


async def representation(db: Db, org_id: uuid.UUID,
                         broker_id: uuid.UUID | None) -> Representation | None:
    """None when the organisation is not registered."""
    row = await (await driver(db)).fetchrow(_REPRESENTATION, org_id, broker_id)
    return Representation(row[0], row[1], bool(row[2])) if row else None


async def clients_of(session: AsyncSession,
                     broker_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    """The represented organisations of each broker, in the order they were given."""
    found: dict[uuid.UUID, list[uuid.UUID]] = {broker_id: [] for broker_id in broker_ids}
    if broker_ids:
        stmt = (select(clients_table.c.broker_id, clients_table.c.org_id)
                .where(clients_table.c.broker_id.in_(broker_ids))
                .order_by(clients_table.c.broker_id, clients_table.c.position))
        for row in await session.execute(stmt):
            found[row.broker_id].append(row.org_id)
    return found


async def brokers(session: AsyncSession, page: Page, region: str | None,
                  agency_org_id: uuid.UUID | None) -> list[dict[str, Any]]:
    stmt = select(brokers_table)
    if region:
        stmt = stmt.where(brokers_table.c.region == region)
    if agency_org_id:
        stmt = stmt.where(brokers_table.c.agency_org_id == agency_org_id)
    if page.after:
        stmt = stmt.where(tuple_(brokers_table.c.created_at, brokers_table.c.id) > page.after)
    stmt = stmt.order_by(brokers_table.c.created_at, brokers_table.c.id).limit(page.limit + 1)
    return [dict(row) for row in (await session.execute(stmt)).mappings()]
