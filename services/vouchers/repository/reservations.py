"""Reservations: what a reservation, a redemption or a release reads, and their rows.

Reads for a new reservation take no lock: the ledger's voucher account and the
`deal_shares` CHECK are the walls, the rules only give the reasons. Resolving a reservation
locks its row, so concurrent redeems and releases queue and see the first one's outcome.
The writes of the hot path go through the driver connection (see connection.py).
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers.domain import AccountCode, Transfer
from services.vouchers.repository.ledger import (
    ACCOUNT_COLUMNS,
    INSERT_TRANSFER,
    PARAMETERS,
    TRANSFER_COLUMNS,
    transfer_values,
)
from services.vouchers.repository.programs import PROGRAM_COLUMNS
from services.vouchers.repository.vouchers import VOUCHER_COLUMNS
from shared.db import driver

ACCOUNT_AS = ", ".join(f"a.{c} AS account_{c}" for c in ACCOUNT_COLUMNS.split(", "))
HOLD_AS = ", ".join(f"h.{c} AS hold_{c}" for c in TRANSFER_COLUMNS.split(", "))
DEAL_AS = ("d.status AS deal_status, d.contract_type, d.tech_amount_fen, d.seller_org_id, "
           "d.buyer_org_id, d.seller_region")
RESERVATION_COLUMNS = (
    "r.id AS reservation_id, r.voucher_id, r.enterprise_org_id, r.deal_id, r.provider_org_id, "
    "r.provider_region, r.amount_fen AS reserved_fen, r.status, r.redeemed_fen, "
    "r.release_reason, r.expires_at, r.created_at, r.resolved_at, r.version")

RESERVING = text(f"""
    SELECT now() AS now, {VOUCHER_COLUMNS}, {PROGRAM_COLUMNS}, {ACCOUNT_AS}, {DEAL_AS},
           coalesce(s.committed_fen, 0) AS committed_to_deal_fen,
           EXISTS (SELECT 1 FROM ledger_accounts pa
                    WHERE pa.region = p.issuer_region
                      AND pa.code = {AccountCode.PROVIDER_PAYABLE:d}
                      AND pa.provider_org_id = :provider) AS provider_accounts_exist
      FROM vouchers v
      JOIN programs p ON p.id = v.program_id
      JOIN ledger_accounts a ON a.id = v.account_id
      LEFT JOIN deals d ON d.id = :deal
      LEFT JOIN deal_shares s ON s.program_id = v.program_id AND s.deal_id = :deal
     WHERE v.id = :voucher""")

RESOLVING = f"""
    SELECT now() AS now, {RESERVATION_COLUMNS}, {HOLD_AS}, {PROGRAM_COLUMNS}, {DEAL_AS}
      FROM reservations r
      JOIN ledger_transfers h ON h.id = r.hold_transfer_id
      JOIN programs p ON p.id = r.program_id
      LEFT JOIN deals d ON d.id = r.deal_id"""

RESERVATION_FIELDS = {"id": "uuid", "voucher_id": "uuid", "program_id": "uuid",
                      "enterprise_org_id": "uuid", "deal_id": "uuid", "provider_org_id": "uuid",
                      "provider_region": "text", "issuer_region": "text", "amount_fen": "bigint",
                      "expires_at": "timestamptz"}
_FIRST = len(PARAMETERS) + 1
# The hold and its reservation in one statement (one round trip instead of two). Both
# AFTER triggers run at the end of the statement, the ledger's first: the reservation's
# trigger then sees the hold as the ledger accepted it.
INSERT_WITH_HOLD = f"""
    WITH hold AS ({INSERT_TRANSFER.replace("RETURNING created_at", "RETURNING id")})
    INSERT INTO reservations ({", ".join(RESERVATION_FIELDS)}, hold_transfer_id)
    SELECT {", ".join(f"CAST(${i} AS {kind})" for i, kind in
                      enumerate(RESERVATION_FIELDS.values(), start=_FIRST))}, hold.id
      FROM hold
    RETURNING id"""

# Also says whether the use-by sweep already emptied the voucher. Read in this statement,
# after the resolving transfer waited for the voucher account's lock: a sweep that ran
# first has committed by then, and one that runs later sees the money this one returns.
MARK_RESOLVED = """
    UPDATE reservations
       SET status = $2, redeemed_fen = $3, release_reason = $4, resolved_at = now(),
           version = version + 1
     WHERE id = $1 AND status = 'pending'
    RETURNING version,
              (SELECT v.expired_at FROM vouchers v WHERE v.id = voucher_id) AS voucher_swept_at"""


async def reserving(session: AsyncSession, voucher_id: uuid.UUID, deal_id: uuid.UUID,
                    provider_org_id: uuid.UUID) -> RowMapping | None:
    """Everything the reservation rules decide on, read in one statement."""
    params = {"voucher": voucher_id, "deal": deal_id, "provider": provider_org_id}
    return (await session.execute(RESERVING, params)).mappings().first()


async def insert_with_hold(session: AsyncSession, hold: Transfer, values: dict[str, Any]
                           ) -> bool:
    """Insert the pending transfer and the reservation it holds for; False when the hold's
    id was already taken (then nothing is written). Refusals raise asyncpg errors: the
    ledger's (map them with ledger.refusal_code) and the market's (refusals.py)."""
    apg = await driver(session)
    reservation = [values[f] for f in RESERVATION_FIELDS]
    return await apg.fetchval(INSERT_WITH_HOLD, *transfer_values(hold), *reservation) is not None


async def resolving(session: AsyncSession, reservation_id: uuid.UUID) -> RowMapping | None:
    """The reservation locked for its redemption or release, with its hold and terms."""
    stmt = text(RESOLVING + " WHERE r.id = :id FOR NO KEY UPDATE OF r")
    return (await session.execute(stmt, {"id": reservation_id})).mappings().first()


async def claim_due(session: AsyncSession) -> RowMapping | None:
    """One pending reservation past its expires_at that no one else is resolving."""
    stmt = text(RESOLVING + """
        WHERE r.status = 'pending' AND r.expires_at <= now()
        ORDER BY r.expires_at LIMIT 1
        FOR NO KEY UPDATE OF r SKIP LOCKED""")
    return (await session.execute(stmt)).mappings().first()


async def pending_of_deal(session: AsyncSession, deal_id: uuid.UUID) -> list[RowMapping]:
    stmt = text(RESOLVING + """
        WHERE r.deal_id = :deal AND r.status = 'pending'
        ORDER BY r.id FOR NO KEY UPDATE OF r""")
    return list((await session.execute(stmt, {"deal": deal_id})).mappings().all())


async def mark_resolved(session: AsyncSession, reservation_id: uuid.UUID, *, status: str,
                        redeemed_fen: int = 0, reason: str | None = None
                        ) -> asyncpg.Record | None:
    """(new version, when the voucher was swept or None); None if no longer pending."""
    apg = await driver(session)
    return await apg.fetchrow(MARK_RESOLVED, reservation_id, status, redeemed_fen, reason)


async def reservation_view(session: AsyncSession, reservation_id: uuid.UUID
                           ) -> RowMapping | None:
    stmt = text(f"SELECT {RESERVATION_COLUMNS}, r.program_id AS program_id, r.issuer_region "
                "FROM reservations r WHERE r.id = :id")
    return (await session.execute(stmt, {"id": reservation_id})).mappings().first()
