"""Queries on deals and their contracts: prepared statements on the unit of work's `Db`.

Every request of the deal path reads what it needs in ONE statement (the deal, its contract
and registration, the calling broker's profile, and for registration the parties' names and
whether the document is registered already) and writes with one statement, inside the use
case's transaction. Each SQL text is a constant, so asyncpg prepares it once per connection.
JSONB travels as text here (`::text` out, `$n::text::jsonb` in), decoded and encoded with
orjson into the records' dicts.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from services.deals.repository.records import (
    BrokerProfile,
    ContractRecord,
    DealRecord,
    RegistrationRecord,
)
from shared.db import Db
from shared.pagination import Page


@dataclass(frozen=True)
class DealFilter:
    """Which deals a list may show: the caller's scope and the query's filters."""

    status: str | None = None
    region: str | None = None  # either party's region
    org_id: uuid.UUID | None = None  # either party
    visible_orgs: list[uuid.UUID] | None = None  # None: no restriction by organization
    visible_region: str | None = None  # an operator sees its region's deals


@dataclass(frozen=True)
class DealToChange:
    """A locked deal and the calling broker's replicated profile (None: not replicated)."""

    deal: DealRecord
    broker: BrokerProfile | None


@dataclass(frozen=True)
class DealToRegister:
    """A locked deal with what registration judges besides it, read in one statement."""

    deal: DealRecord
    broker: BrokerProfile | None
    seller_name: str | None  # None: the organization is not in the replica
    buyer_name: str | None
    document_registered: bool  # its written contract is registered already (by any deal)


_DEAL = """d.id, d.offer_id, d.need_id, d.seller_org_id, d.buyer_org_id, d.seller_region,
    d.buyer_region, d.broker_id, d.title, d.status, d.version, d.created_at, d.updated_at,
    d.rejection::text AS rejection, d.review::text AS review,
    d.termination::text AS termination"""
_CONTRACT = """c.deal_id AS c_deal_id, c.type AS c_type, c.signed_on AS c_signed_on,
    c.valid_from AS c_valid_from, c.valid_until AS c_valid_until, c.total_fen AS c_total_fen,
    c.deductions::text AS c_deductions, c.ip::text AS c_ip,
    c.document_sha256 AS c_document_sha256, c.subject AS c_subject,
    c.acceptance_criteria AS c_acceptance_criteria, c.tech_amount_fen AS c_tech_amount_fen,
    c.attached_at AS c_attached_at"""
_REGISTRATION_FIELDS = ("registration_no", "deal_id", "region_code", "year", "sequence",
                        "registered_on", "contract_type", "signed_on", "total_fen",
                        "tech_amount_fen", "document_sha256", "seller_org_id", "seller_name",
                        "seller_region", "buyer_org_id", "buyer_name", "buyer_region",
                        "verification_code")
_REGISTRATION = ", ".join(f"r.{name} AS r_{name}" for name in _REGISTRATION_FIELDS)
_BROKER = "b.id AS b_id, b.agency_org_id AS b_agency_org_id, b.represents AS b_represents"
_DETAILS = f"""SELECT {_DEAL}, {_CONTRACT}, {_REGISTRATION} FROM deals d
    LEFT JOIN contracts c ON c.deal_id = d.id
    LEFT JOIN registrations r ON r.deal_id = d.id"""

_BY_ID = f"{_DETAILS} WHERE d.id = $1"
# The row lock makes concurrent actions on one deal happen one after the other.
_FOR_UPDATE = f"""SELECT {_DEAL}, {_CONTRACT}, {_REGISTRATION}, {_BROKER} FROM deals d
    LEFT JOIN contracts c ON c.deal_id = d.id
    LEFT JOIN registrations r ON r.deal_id = d.id
    LEFT JOIN brokers b ON b.id = $2
    WHERE d.id = $1 FOR UPDATE OF d"""
_TO_REGISTER = f"""SELECT {_DEAL}, {_CONTRACT}, {_REGISTRATION}, {_BROKER},
        seller.name AS seller_name, buyer.name AS buyer_name,
        EXISTS (SELECT 1 FROM registrations other
                WHERE other.document_sha256 = c.document_sha256) AS document_registered
    FROM deals d
    LEFT JOIN contracts c ON c.deal_id = d.id
    LEFT JOIN registrations r ON r.deal_id = d.id
    LEFT JOIN brokers b ON b.id = $2
    LEFT JOIN organizations seller ON seller.id = d.seller_org_id
    LEFT JOIN organizations buyer ON buyer.id = d.buyer_org_id
    WHERE d.id = $1 FOR UPDATE OF d"""

_INSERT = """INSERT INTO deals (id, offer_id, need_id, seller_org_id, buyer_org_id,
    seller_region, buyer_region, broker_id, title, status, version, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"""
# What the lifecycle changes; the row is locked by this transaction.
_SAVE = """UPDATE deals SET status = $2, version = $3, updated_at = $4,
    rejection = $5::text::jsonb, review = $6::text::jsonb, termination = $7::text::jsonb
    WHERE id = $1"""
# The deal moves to signed and its contract is written (or replaced) in one statement.
_SAVE_WITH_CONTRACT = """WITH deal AS (
        UPDATE deals SET status = $2, version = $3, updated_at = $4,
            rejection = $5::text::jsonb
        WHERE id = $1 RETURNING id)
    INSERT INTO contracts AS c (deal_id, type, signed_on, valid_from, valid_until, total_fen,
        deductions, ip, document_sha256, subject, acceptance_criteria, tech_amount_fen,
        attached_at)
    SELECT deal.id, $6, $7, $8, $9, $10, $11::text::jsonb, $12::text::jsonb, $13, $14, $15,
        $16, $17 FROM deal
    ON CONFLICT (deal_id) DO UPDATE SET type = excluded.type,
        signed_on = excluded.signed_on, valid_from = excluded.valid_from,
        valid_until = excluded.valid_until, total_fen = excluded.total_fen,
        deductions = excluded.deductions, ip = excluded.ip,
        document_sha256 = excluded.document_sha256, subject = excluded.subject,
        acceptance_criteria = excluded.acceptance_criteria,
        tech_amount_fen = excluded.tech_amount_fen, attached_at = excluded.attached_at"""


async def deal_by_id(db: Db, deal_id: uuid.UUID) -> DealRecord | None:
    row = await db.fetchrow(_BY_ID, deal_id)
    return deal_of(row) if row is not None else None


async def deal_for_update(db: Db, deal_id: uuid.UUID,
                          broker_id: uuid.UUID | None) -> DealToChange | None:
    """The deal with its contract and registration, locked until the transaction ends, and
    the profile of the broker acting on it."""
    row = await db.fetchrow(_FOR_UPDATE, deal_id, broker_id)
    return DealToChange(deal_of(row), broker_of(row)) if row is not None else None


async def deal_to_register(db: Db, deal_id: uuid.UUID,
                           broker_id: uuid.UUID | None) -> DealToRegister | None:
    row = await db.fetchrow(_TO_REGISTER, deal_id, broker_id)
    if row is None:
        return None
    return DealToRegister(deal_of(row), broker_of(row), row["seller_name"], row["buyer_name"],
                          bool(row["document_registered"]))


async def insert(db: Db, deal: DealRecord) -> None:
    await db.execute(
        _INSERT, deal.id, deal.offer_id, deal.need_id, deal.seller_org_id, deal.buyer_org_id,
        deal.seller_region, deal.buyer_region, deal.broker_id, deal.title, deal.status,
        deal.version, deal.created_at, deal.updated_at)


async def save(db: Db, deal: DealRecord) -> None:
    """Write the deal's lifecycle fields (status, version, decisions) as they are now."""
    await db.execute(
        _SAVE, deal.id, deal.status, deal.version, deal.updated_at, json_text(deal.rejection),
        json_text(deal.review), json_text(deal.termination))


async def save_with_contract(db: Db, deal: DealRecord) -> None:
    """Write the deal's lifecycle fields and its (new or amended) contract."""
    contract = deal.contract
    if contract is None:
        raise ValueError(f"deal {deal.id} has no contract to save")
    await db.execute(
        _SAVE_WITH_CONTRACT, deal.id, deal.status, deal.version, deal.updated_at,
        json_text(deal.rejection), contract.type, contract.signed_on, contract.valid_from,
        contract.valid_until, contract.total_fen, json_text(contract.deductions),
        json_text(contract.ip), contract.document_sha256, contract.subject,
        contract.acceptance_criteria, contract.tech_amount_fen, contract.attached_at)


async def deals(db: Db, page: Page, where: DealFilter) -> list[DealRecord]:
    conditions, args = _conditions(where)
    if page.after:
        args.extend(page.after)
        conditions.append(f"(d.created_at, d.id) > (${len(args) - 1}::timestamptz, "
                          f"${len(args)}::uuid)")
    args.append(page.limit + 1)
    sql = (f"{_DETAILS} WHERE {' AND '.join(conditions) or 'true'}"
           f" ORDER BY d.created_at, d.id LIMIT ${len(args)}")
    return [deal_of(row) for row in await db.fetch(sql, *args)]


def _conditions(where: DealFilter) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    args: list[Any] = []

    def arg(value: Any) -> str:
        args.append(value)
        return f"${len(args)}"

    if where.status:
        conditions.append(f"d.status = {arg(where.status)}")
    if where.region:
        n = arg(where.region)
        conditions.append(f"(d.seller_region = {n} OR d.buyer_region = {n})")
    if where.org_id:
        n = arg(where.org_id)
        conditions.append(f"(d.seller_org_id = {n} OR d.buyer_org_id = {n})")
    if where.visible_orgs is not None:
        n = arg(where.visible_orgs)
        conditions.append(f"(d.seller_org_id = ANY({n}::uuid[]) "
                          f"OR d.buyer_org_id = ANY({n}::uuid[]))")
    if where.visible_region:
        n = arg(where.visible_region)
        conditions.append(f"(d.seller_region = {n} OR d.buyer_region = {n})")
    return conditions, args


def deal_of(row: Mapping[str, Any]) -> DealRecord:
    return DealRecord(
        id=row["id"], offer_id=row["offer_id"], need_id=row["need_id"],
        seller_org_id=row["seller_org_id"], buyer_org_id=row["buyer_org_id"],
        seller_region=row["seller_region"], buyer_region=row["buyer_region"],
        broker_id=row["broker_id"], title=row["title"], status=row["status"],
        version=row["version"], created_at=row["created_at"], updated_at=row["updated_at"],
        rejection=_loads(row["rejection"]), review=_loads(row["review"]),
        termination=_loads(row["termination"]), contract=_contract_of(row),
        registration=registration_of(row, "r_"))


def _contract_of(row: Mapping[str, Any]) -> ContractRecord | None:
    if row["c_deal_id"] is None:
        return None
    return ContractRecord(
        type=row["c_type"], signed_on=row["c_signed_on"], valid_from=row["c_valid_from"],
        valid_until=row["c_valid_until"], total_fen=row["c_total_fen"],
        deductions=orjson.loads(row["c_deductions"]), ip=orjson.loads(row["c_ip"]),
        document_sha256=row["c_document_sha256"], subject=row["c_subject"],
        acceptance_criteria=row["c_acceptance_criteria"],
        tech_amount_fen=row["c_tech_amount_fen"], attached_at=row["c_attached_at"])


def registration_of(row: Mapping[str, Any], prefix: str = "") -> RegistrationRecord | None:
    if row[f"{prefix}registration_no"] is None:
        return None
    return RegistrationRecord(**{name: row[prefix + name] for name in _REGISTRATION_FIELDS})


def broker_of(row: Mapping[str, Any], prefix: str = "b_") -> BrokerProfile | None:
    if row[f"{prefix}id"] is None:
        return None
    return BrokerProfile(row[f"{prefix}id"], row[f"{prefix}agency_org_id"],
                         tuple(row[f"{prefix}represents"]))


def json_text(value: object) -> str | None:
    return orjson.dumps(value).decode() if value is not None else None


def _loads(text: str | None) -> Any:
    return orjson.loads(text) if text is not None else None
