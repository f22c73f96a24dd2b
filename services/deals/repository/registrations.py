"""Registrations and the per-region, per-year registration counters.

A registration is written by ONE statement, run by the use case after every check: it moves
the deal, takes the next sequence of the registry region and year from the counter row
(`INSERT … ON CONFLICT DO UPDATE … RETURNING`), and inserts the registration with its
number. The counter row is locked from that statement to the commit — one round trip, the
event and the commit — instead of from an allocation early in the use case. The counter is
incremented in the registering transaction, so a registration that fails anywhere after it
(the statement itself included) rolls the counter back: numbers stay gap-free and are never
reused (a SEQUENCE would leave gaps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

from services.deals.repository.deals import json_text, registration_of
from services.deals.repository.records import DealRecord, RegistrationRecord
from shared.db import Db

_COUNTER_RANGE = "ck_registration_counters_range"
_ONE_REGISTRATION_PER_DOCUMENT = "registrations_document_sha256_key"

_REGISTER = """WITH deal AS (
        UPDATE deals SET status = $2, version = $3, updated_at = $4,
            rejection = $5::text::jsonb, review = $6::text::jsonb
        WHERE id = $1 RETURNING id),
    counter AS (
        INSERT INTO registration_counters AS n (region_code, year, last_sequence)
        SELECT $7::varchar, $8::int, 1 FROM deal
        ON CONFLICT (region_code, year) DO UPDATE SET last_sequence = n.last_sequence + 1
        RETURNING last_sequence)
    INSERT INTO registrations (registration_no, deal_id, region_code, year, sequence,
        registered_on, contract_type, signed_on, total_fen, tech_amount_fen, document_sha256,
        seller_org_id, seller_name, seller_region, buyer_org_id, buyer_name, buyer_region,
        verification_code)
    SELECT $7::varchar || lpad($8::int::text, 4, '0')
            || lpad(counter.last_sequence::text, 6, '0'),
        $1, $7::varchar, $8::int, counter.last_sequence, $9, $10, $11, $12, $13, $14, $15,
        $16, $17, $18, $19, $20, $21
    FROM counter
    RETURNING registration_no, sequence"""

_BY_NO = """SELECT r.registration_no, r.deal_id, r.region_code, r.year, r.sequence,
    r.registered_on, r.contract_type, r.signed_on, r.total_fen, r.tech_amount_fen,
    r.document_sha256, r.seller_org_id, r.seller_name, r.seller_region, r.buyer_org_id,
    r.buyer_name, r.buyer_region, r.verification_code, d.status AS deal_status
    FROM registrations r JOIN deals d ON d.id = r.deal_id WHERE r.registration_no = $1"""


class NumbersExhausted(Exception):
    """The registry region has handed out its last sequence (999999) for the year."""


class DocumentRegistered(Exception):
    """Another deal registered the same written contract (its document hash) meanwhile."""


@dataclass(frozen=True)
class Certificate:
    """Facts a registration certificate states that the deal does not already carry."""

    region_code: str  # the registry: the seller's region, GB/T 2260
    registered_on: date
    seller_name: str
    buyer_name: str
    verification_code: str  # random: domain.new_verification_code


async def register(db: Db, deal: DealRecord,
                   certificate: Certificate) -> RegistrationRecord:
    """Write the deal's new state and its registration, numbered from the counter.

    Run it as the use case's last statement: the counter row stays locked until commit."""
    contract = deal.contract
    if contract is None or contract.document_sha256 is None:
        raise ValueError(f"deal {deal.id} has no written contract to register")
    year = certificate.registered_on.year
    try:
        row = await db.fetchrow(
            _REGISTER, deal.id, deal.status, deal.version, deal.updated_at,
            json_text(deal.rejection), json_text(deal.review), certificate.region_code, year,
            certificate.registered_on, contract.type, contract.signed_on, contract.total_fen,
            contract.tech_amount_fen, contract.document_sha256, deal.seller_org_id,
            certificate.seller_name, deal.seller_region, deal.buyer_org_id,
            certificate.buyer_name, deal.buyer_region, certificate.verification_code)
    except asyncpg.CheckViolationError as exc:
        if exc.constraint_name == _COUNTER_RANGE:
            raise NumbersExhausted() from exc
        raise
    except asyncpg.UniqueViolationError as exc:
        # The unique index on the document hash decides between two deals registering one
        # written contract at the same instant.
        if exc.constraint_name == _ONE_REGISTRATION_PER_DOCUMENT:
            raise DocumentRegistered() from exc
        raise
    if row is None:
        raise LookupError(f"deal {deal.id} vanished while locked")
    return RegistrationRecord(
        registration_no=row["registration_no"], deal_id=deal.id,
        region_code=certificate.region_code, year=year, sequence=row["sequence"],
        registered_on=certificate.registered_on, contract_type=contract.type,
        signed_on=contract.signed_on, total_fen=contract.total_fen,
        tech_amount_fen=contract.tech_amount_fen, document_sha256=contract.document_sha256,
        seller_org_id=deal.seller_org_id, seller_name=certificate.seller_name,
        seller_region=deal.seller_region, buyer_org_id=deal.buyer_org_id,
        buyer_name=certificate.buyer_name, buyer_region=deal.buyer_region,
        verification_code=certificate.verification_code)


async def registration_by_no(db: Db,
                             registration_no: str) -> tuple[RegistrationRecord, str] | None:
    """A registration and the current status of its deal."""
    row = await db.fetchrow(_BY_NO, registration_no)
    registration = registration_of(row) if row is not None else None
    return (registration, row["deal_status"]) if row is not None and registration else None
