"""Queries on the replicas of listings' organisations, offers, needs and brokers."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.deals.models import Broker, Need, Offer, Organization
from services.deals.records import BrokerProfile, ListingFacts, PartyFacts
from services.deals.repository.deals import broker_of
from shared.db import driver


async def upsert_organization(session: AsyncSession, values: dict[str, Any]) -> None:
    stmt = insert(Organization).values(**values, replicated_at=func.clock_timestamp())
    stmt = stmt.on_conflict_do_update(
        index_elements=[Organization.id],
        set_={k: stmt.excluded[k] for k in (*values, "replicated_at") if k != "id"})
    await session.execute(stmt)


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


_OFFER = "SELECT id, owner_org_id, status FROM offers WHERE id = $1"
_NEED = "SELECT id, buyer_org_id AS owner_org_id, status FROM needs WHERE id = $1"
_BROKER = """SELECT id AS b_id, agency_org_id AS b_agency_org_id, represents AS b_represents
    FROM brokers WHERE id = $1"""
# What opening a deal checks, in one round trip; a row always comes back, NULLs for what
# the replica does not hold.
_FOR_OPENING = """SELECT b.id AS b_id, b.agency_org_id AS b_agency_org_id,
        b.represents AS b_represents,
        s.id AS s_id, s.name AS s_name, s.region AS s_region,
        u.id AS u_id, u.name AS u_name, u.region AS u_region,
        o.id AS o_id, o.owner_org_id AS o_owner_org_id, o.status AS o_status,
        n.id AS n_id, n.buyer_org_id AS n_owner_org_id, n.status AS n_status
    FROM (SELECT 1) AS one
    LEFT JOIN brokers b ON b.id = $1
    LEFT JOIN organizations s ON s.id = $2
    LEFT JOIN organizations u ON u.id = $3
    LEFT JOIN offers o ON o.id = $4
    LEFT JOIN needs n ON n.id = $5"""


@dataclass(frozen=True)
class OpeningFacts:
    """What the replica holds of a new deal's broker, parties, offer and need."""

    broker: BrokerProfile | None
    seller: PartyFacts | None
    buyer: PartyFacts | None
    offer: ListingFacts | None
    need: ListingFacts | None


async def for_opening(session: AsyncSession, broker_id: uuid.UUID | None, seller_id: uuid.UUID,
                      buyer_id: uuid.UUID, offer_id: uuid.UUID | None,
                      need_id: uuid.UUID | None) -> OpeningFacts:
    row = await (await driver(session)).fetchrow(_FOR_OPENING, broker_id, seller_id, buyer_id,
                                                 offer_id, need_id)
    return OpeningFacts(broker_of(row), _party(row, "s_"), _party(row, "u_"),
                        _listing(row, "o_"), _listing(row, "n_"))


def _party(row: Mapping[str, Any], prefix: str) -> PartyFacts | None:
    if row[f"{prefix}id"] is None:
        return None
    return PartyFacts(row[f"{prefix}id"], row[f"{prefix}name"], row[f"{prefix}region"])


def _listing(row: Mapping[str, Any], prefix: str) -> ListingFacts | None:
    if row[f"{prefix}id"] is None:
        return None
    return ListingFacts(row[f"{prefix}id"], row[f"{prefix}owner_org_id"], row[f"{prefix}status"])


async def offer_by_id(session: AsyncSession, offer_id: uuid.UUID) -> ListingFacts | None:
    row = await (await driver(session)).fetchrow(_OFFER, offer_id)
    return _listing(row, "") if row is not None else None


async def need_by_id(session: AsyncSession, need_id: uuid.UUID) -> ListingFacts | None:
    row = await (await driver(session)).fetchrow(_NEED, need_id)
    return _listing(row, "") if row is not None else None


async def broker_by_id(session: AsyncSession, broker_id: uuid.UUID) -> BrokerProfile | None:
    row = await (await driver(session)).fetchrow(_BROKER, broker_id)
    return broker_of(row) if row is not None else None
