"""Queries on the replicas of listings' organizations, offers, needs and brokers.

The event handlers write them from `listings.events`; the deal path reads them and, when
they lag, writes what it read through listings' API (use_cases.replica).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.deals.repository.deals import broker_of
from services.deals.repository.records import BrokerProfile, ListingFacts, PartyFacts
from shared.db import Db

# Insert or overwrite a replica row. A versioned one (offers, needs, brokers) only when the
# row does not already hold a newer version: events and read-through answers may arrive in
# either order.
_UPSERT_ORGANIZATION = """INSERT INTO organizations
        (id, name, credit_code, region, kind, small_firm, replicated_at)
    VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, credit_code = excluded.credit_code,
        region = excluded.region, kind = excluded.kind, small_firm = excluded.small_firm,
        replicated_at = excluded.replicated_at"""
_UPSERT_OFFER = """INSERT INTO offers
        (id, owner_org_id, title, region, status, version, replicated_at)
    VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET owner_org_id = excluded.owner_org_id,
        title = excluded.title, region = excluded.region, status = excluded.status,
        version = excluded.version, replicated_at = excluded.replicated_at
    WHERE offers.version <= excluded.version"""
_UPSERT_NEED = """INSERT INTO needs
        (id, buyer_org_id, title, region, status, version, replicated_at)
    VALUES ($1, $2, $3, $4, $5, $6, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET buyer_org_id = excluded.buyer_org_id,
        title = excluded.title, region = excluded.region, status = excluded.status,
        version = excluded.version, replicated_at = excluded.replicated_at
    WHERE needs.version <= excluded.version"""
_UPSERT_BROKER = """INSERT INTO brokers
        (id, name, certificate_no, region, agency_org_id, represents, version, replicated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp())
    ON CONFLICT (id) DO UPDATE SET name = excluded.name,
        certificate_no = excluded.certificate_no, region = excluded.region,
        agency_org_id = excluded.agency_org_id, represents = excluded.represents,
        version = excluded.version, replicated_at = excluded.replicated_at
    WHERE brokers.version <= excluded.version"""
# A listing's status moved; a listing we never saw is skipped (its snapshot, read through
# or replayed, carries the status anyway).
_OFFER_STATUS = """UPDATE offers SET status = $2, version = $3,
    replicated_at = clock_timestamp() WHERE id = $1 AND version <= $3"""
_NEED_STATUS = """UPDATE needs SET status = $2, version = $3,
    replicated_at = clock_timestamp() WHERE id = $1 AND version <= $3"""


async def upsert_organization(db: Db, values: Mapping[str, Any]) -> None:
    await db.execute(_UPSERT_ORGANIZATION, values["id"], values["name"],
                     values["credit_code"], values["region"], values["kind"],
                     values["small_firm"])


async def upsert_offer(db: Db, values: Mapping[str, Any]) -> None:
    await db.execute(_UPSERT_OFFER, values["id"], values["owner_org_id"], values["title"],
                     values["region"], values["status"], values["version"])


async def upsert_need(db: Db, values: Mapping[str, Any]) -> None:
    await db.execute(_UPSERT_NEED, values["id"], values["buyer_org_id"], values["title"],
                     values["region"], values["status"], values["version"])


async def upsert_broker(db: Db, values: Mapping[str, Any]) -> None:
    await db.execute(_UPSERT_BROKER, values["id"], values["name"], values["certificate_no"],
                     values["region"], values["agency_org_id"], values["represents"],
                     values["version"])


async def set_offer_status(db: Db, offer_id: uuid.UUID, status: str, version: int) -> None:
    await db.execute(_OFFER_STATUS, offer_id, status, version)


async def set_need_status(db: Db, need_id: uuid.UUID, status: str, version: int) -> None:
    await db.execute(_NEED_STATUS, need_id, status, version)


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
    row = await db.fetchrow(_FOR_OPENING, broker_id, seller_id, buyer_id, offer_id, need_id)
    if row is None:  # FROM (SELECT 1): a row always comes back
        raise LookupError("the opening facts query returned no row")
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
    row = await db.fetchrow(_OFFER, offer_id)
    return _listing(row, "") if row is not None else None


async def need_by_id(db: Db, need_id: uuid.UUID) -> ListingFacts | None:
    row = await db.fetchrow(_NEED, need_id)
    return _listing(row, "") if row is not None else None


async def broker_by_id(db: Db, broker_id: uuid.UUID) -> BrokerProfile | None:
    row = await db.fetchrow(_BROKER, broker_id)
    return broker_of(row) if row is not None else None
