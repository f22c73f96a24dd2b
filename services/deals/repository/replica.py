"""Queries on the replicas of listings' organisations, offers, needs and brokers.

Statements on the driver (`shared.db.driver`): the event handlers run them in the inbox's
session, the deal path on the plain connection of `Tx.run_sql` (the read-through).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from sqlalchemy import Table

from services.deals.models import Base, Broker, Need, Offer, Organization
from services.deals.records import BrokerProfile, ListingFacts, PartyFacts
from services.deals.repository.deals import broker_of
from shared.legacy_db import Db, driver


async def upsert_organization(db: Db, values: dict[str, Any]) -> None:
    await _upsert(db, Organization, values, versioned=False)


async def upsert_offer(db: Db, values: dict[str, Any]) -> None:
    await _upsert(db, Offer, values, versioned=True)


async def upsert_need(db: Db, values: dict[str, Any]) -> None:
    await _upsert(db, Need, values, versioned=True)


async def upsert_broker(db: Db, values: dict[str, Any]) -> None:
    await _upsert(db, Broker, values, versioned=True)


async def _upsert(db: Db, model: type[Base], values: dict[str, Any], *,
                  versioned: bool) -> None:
    sql = _upsert_sql(model, tuple(values), versioned)
    await (await driver(db)).execute(sql, *values.values())


@cache
def _upsert_sql(model: type[Base], columns: tuple[str, ...], versioned: bool) -> str:
    """Insert or overwrite a replica row; a versioned one unless the row already holds a
    newer version (events and read-through answers may arrive in either order)."""
    table = cast(Table, model.__table__)
    unknown = set(columns) - set(table.columns.keys())
    if unknown or "id" not in columns:
        raise ValueError(f"not columns of {table.name} (or no id): {sorted(unknown)}")
    placeholders = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    updates = ", ".join(f"{name} = excluded.{name}"
                        for name in (*columns, "replicated_at") if name != "id")
    newer_only = f" WHERE {table.name}.version <= excluded.version" if versioned else ""
    return (f"INSERT INTO {table.name} ({', '.join(columns)}, replicated_at)"
            f" VALUES ({placeholders}, clock_timestamp())"
            f" ON CONFLICT (id) DO UPDATE SET {updates}{newer_only}")


async def set_status(db: Db, model: type[Offer | Need], listing_id: uuid.UUID,
                     status: str, version: int) -> None:
    """A listing's status moved; a listing we never saw is skipped (its snapshot, read
    through or replayed, carries the status anyway)."""
    await (await driver(db)).execute(
        f"UPDATE {model.__tablename__} SET status = $2, version = $3,"
        " replicated_at = clock_timestamp() WHERE id = $1 AND version <= $3",
        listing_id, status, version)


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


async def for_opening(db: Db, broker_id: uuid.UUID | None, seller_id: uuid.UUID,
                      buyer_id: uuid.UUID, offer_id: uuid.UUID | None,
                      need_id: uuid.UUID | None) -> OpeningFacts:
    row = await (await driver(db)).fetchrow(_FOR_OPENING, broker_id, seller_id, buyer_id,
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


async def offer_by_id(db: Db, offer_id: uuid.UUID) -> ListingFacts | None:
    row = await (await driver(db)).fetchrow(_OFFER, offer_id)
    return _listing(row, "") if row is not None else None


async def need_by_id(db: Db, need_id: uuid.UUID) -> ListingFacts | None:
    row = await (await driver(db)).fetchrow(_NEED, need_id)
    return _listing(row, "") if row is not None else None


async def broker_by_id(db: Db, broker_id: uuid.UUID) -> BrokerProfile | None:
    row = await (await driver(db)).fetchrow(_BROKER, broker_id)
    return broker_of(row) if row is not None else None
