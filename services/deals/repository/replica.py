"""Queries on the replicas of listings' organisations, offers, needs and brokers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.deals.models import Broker, Need, Offer, Organization


async def upsert_organization(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert(Organization).values(**values, replicated_at=func.clock_timestamp())
    stmt = stmt.on_conflict_do_update(
        index_elements=[Organization.id],
        set_={k: stmt.excluded[k] for k in (*values, "replicated_at") if k != "id"})
    await session.execute(stmt)


# Built once: SQLAlchemy reuses the compiled form of these per-request lookups.
_ORGANIZATIONS = select(Organization).where(
    Organization.id.in_(bindparam("org_ids", expanding=True)))
_OFFER = select(Offer).where(Offer.id == bindparam("listing_id"))
_NEED = select(Need).where(Need.id == bindparam("listing_id"))
_BROKER = select(Broker).where(Broker.id == bindparam("broker_id"))


async def organizations(session: AsyncSession,
                        org_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Organization]:
    rows = await session.execute(_ORGANIZATIONS, {"org_ids": list(org_ids)})
    return {org.id: org for org in rows.scalars()}


async def _upsert_versioned(session: AsyncSession, model: type[Offer | Need | Broker],
                            values: dict[str, Any]) -> None:
    """Insert or overwrite a replica row, unless the row already holds a newer version
    (events and read-through answers may arrive in either order)."""
    stmt = insert(model).values(**values, replicated_at=func.clock_timestamp())
    stmt = stmt.on_conflict_do_update(
        index_elements=[model.id],
        set_={k: stmt.excluded[k] for k in (*values, "replicated_at") if k != "id"},
        where=model.version <= stmt.excluded.version)
    await session.execute(stmt)


async def upsert_offer(session: AsyncSession, values: dict[str, Any]) -> None:
    await _upsert_versioned(session, Offer, values)


async def upsert_need(session: AsyncSession, values: dict[str, Any]) -> None:
    await _upsert_versioned(session, Need, values)


async def upsert_broker(session: AsyncSession, values: dict[str, Any]) -> None:
    await _upsert_versioned(session, Broker, values)


async def set_status(session: AsyncSession, model: type[Offer | Need], listing_id: uuid.UUID,
                     status: str, version: int) -> None:
    """A listing's status moved; a listing we never saw is skipped (its snapshot, read
    through or replayed, carries the status anyway)."""
    await session.execute(
        update(model)
        .where(model.id == listing_id, model.version <= version)
        .values(status=status, version=version, replicated_at=func.clock_timestamp()))


async def offer_by_id(session: AsyncSession, offer_id: uuid.UUID) -> Offer | None:
    return (await session.execute(_OFFER, {"listing_id": offer_id})).scalar_one_or_none()


async def need_by_id(session: AsyncSession, need_id: uuid.UUID) -> Need | None:
    return (await session.execute(_NEED, {"listing_id": need_id})).scalar_one_or_none()


async def broker_by_id(session: AsyncSession, broker_id: uuid.UUID) -> Broker | None:
    return (await session.execute(_BROKER, {"broker_id": broker_id})).scalar_one_or_none()
