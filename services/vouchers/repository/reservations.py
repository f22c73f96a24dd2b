"""Reservations: what a reservation, a redemption or a release reads, and their rows.

Reads for a new reservation take no lock: the ledger's voucher account and the
`deal_shares` CHECK are the walls, the rules only give the reasons. Resolving a reservation
locks its row, so concurrent redeems and releases queue and see the first one's outcome.
Every function takes the unit of work's `Db` and runs its statement as an asyncpg
prepared statement (constant SQL text, so the statement is prepared once per connection).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from services.vouchers.domain import AccountCode, Transfer
from services.vouchers.repository.ledger import (
    ACCOUNT_COLUMNS,
    INSERT_TRANSFER,
    PARAMETER_TYPES,
    PARAMETERS,
    TRANSFER_COLUMNS,
    transfer_values,
)
from services.vouchers.repository.programs import PROGRAM_COLUMNS
from services.vouchers.repository.vouchers import VOUCHER_COLUMNS
from shared import outbox
from shared.db import Db
from shared.events.catalogue import IntegrationEvent

ACCOUNT_AS = ", ".join(f"a.{c} AS account_{c}" for c in ACCOUNT_COLUMNS.split(", "))
HOLD_AS = ", ".join(f"h.{c} AS hold_{c}" for c in TRANSFER_COLUMNS.split(", "))
DEAL_AS = ("d.status AS deal_status, d.contract_type, d.tech_amount_fen, d.seller_org_id, "
           "d.buyer_org_id, d.seller_region")
RESERVATION_COLUMNS = (
    "r.id AS reservation_id, r.voucher_id, r.enterprise_org_id, r.deal_id, r.provider_org_id, "
    "r.provider_region, r.amount_fen AS reserved_fen, r.status, r.redeemed_fen, "
    "r.release_reason, r.expires_at, r.created_at, r.resolved_at, r.version")

RESERVING = f"""
    SELECT now() AS now, {VOUCHER_COLUMNS}, {PROGRAM_COLUMNS}, {ACCOUNT_AS}, {DEAL_AS},
           coalesce(s.committed_fen, 0) AS committed_to_deal_fen,
           EXISTS (SELECT 1 FROM ledger_accounts pa
                    WHERE pa.region = p.issuer_region
                      AND pa.code = {AccountCode.PROVIDER_PAYABLE:d}
                      AND pa.provider_org_id = $3) AS provider_accounts_exist
      FROM vouchers v
      JOIN programs p ON p.id = v.program_id
      JOIN ledger_accounts a ON a.id = v.account_id
      LEFT JOIN deals d ON d.id = $2
      LEFT JOIN deal_shares s ON s.program_id = v.program_id AND s.deal_id = $2
     WHERE v.id = $1"""

RESOLVING = f"""
    SELECT now() AS now, {RESERVATION_COLUMNS}, {HOLD_AS}, {PROGRAM_COLUMNS}, {DEAL_AS}
      FROM reservations r
      JOIN ledger_transfers h ON h.id = r.hold_transfer_id
      JOIN programs p ON p.id = r.program_id
      LEFT JOIN deals d ON d.id = r.deal_id"""

RESOLVING_ONE = RESOLVING + " WHERE r.id = $1"
RESOLVING_LOCKED = RESOLVING_ONE + " FOR NO KEY UPDATE OF r"

RESERVATION_FIELDS = {"id": "uuid", "voucher_id": "uuid", "program_id": "uuid",
                      "enterprise_org_id": "uuid", "deal_id": "uuid", "provider_org_id": "uuid",
                      "provider_region": "text", "issuer_region": "text", "amount_fen": "bigint",
                      "expires_at": "timestamptz"}
_FIRST = len(PARAMETERS) + 1
# The hold, its reservation and their event in one statement (one round trip instead of
# three), which may commit on its own (`Mode.STATEMENTS`, shared.db): the event is
# written only with the hold, and the reservation with the hold or the statement fails.
# Both AFTER triggers run at the end of the statement, the ledger's first: the
# reservation's trigger then sees the hold as the ledger accepted it.
INSERT_WITH_HOLD = f"""
    WITH hold AS ({INSERT_TRANSFER.replace("RETURNING created_at", "RETURNING id")}),
         {outbox.cte(_FIRST + len(RESERVATION_FIELDS), only_after="hold")}
    INSERT INTO reservations ({", ".join(RESERVATION_FIELDS)}, hold_transfer_id)
    SELECT {", ".join(f"CAST(${i} AS {kind})" for i, kind in
                      enumerate(RESERVATION_FIELDS.values(), start=_FIRST))}, hold.id
      FROM hold
    RETURNING id"""

_RESOLVE_FIRST = len(PARAMETERS) + 1
# The transfer that resolves a hold (post or void), the reservation's new state and their
# event, in one statement, which may commit on its own. It locks the pending reservation's
# row first, as a resolution under a locked read does, so that racing resolutions queue in
# the same order and the later ones find it resolved. The UPDATE reads the transfer's CTE,
# so the transfer is inserted before the reservation's BEFORE trigger looks for it; the
# ledger's AFTER trigger then applies it (locks both accounts, refuses e.g. an expired
# post) before the statement ends. The ledger stamps its transfer with its own clock; the
# reservation's `resolved_at` is the use case's (that of its read, which its answer and
# event carry too). No row back, and nothing written: the reservation is no
# longer pending, or the transfer's id was taken already (see ledger.compare_with_stored).
RESOLVE = f"""
    WITH target AS (
             SELECT id FROM reservations
              WHERE id = ${_RESOLVE_FIRST} AND status = 'pending'
                FOR NO KEY UPDATE),
         resolution AS (
             INSERT INTO ledger_transfers ({", ".join(PARAMETERS)})
             SELECT {", ".join(f"CAST(${i} AS {kind})" for i, kind in
                               enumerate(PARAMETER_TYPES.values(), start=1))}
               FROM target
             ON CONFLICT (id) DO NOTHING
             RETURNING id),
         {outbox.cte(_RESOLVE_FIRST + 5, only_after="resolution")}
    UPDATE reservations r
       SET status = ${_RESOLVE_FIRST + 1}, redeemed_fen = ${_RESOLVE_FIRST + 2},
           release_reason = ${_RESOLVE_FIRST + 3}, resolved_at = ${_RESOLVE_FIRST + 4},
           version = r.version + 1
      FROM resolution
     WHERE r.id = ${_RESOLVE_FIRST} AND r.status = 'pending'
    RETURNING r.version"""

MARK_RESOLVED = """
    UPDATE reservations
       SET status = $2, redeemed_fen = $3, release_reason = $4, resolved_at = $5,
           version = version + 1
     WHERE id = $1 AND status = 'pending'
    RETURNING version"""

VOUCHER_SWEPT = "SELECT expired_at IS NOT NULL FROM vouchers WHERE id = $1"


async def reserving(db: Db, voucher_id: uuid.UUID, deal_id: uuid.UUID,
                    provider_org_id: uuid.UUID) -> asyncpg.Record | None:
    """Everything the reservation rules decide on, read in one statement."""
    return await db.fetchrow(RESERVING, voucher_id, deal_id, provider_org_id)


async def insert_with_hold(db: Db, hold: Transfer, values: dict[str, Any],
                           event: IntegrationEvent) -> bool:
    """Insert the pending transfer, the reservation it holds for and `event` (outbox);
    False, and nothing written, when the hold's id was already taken. Refusals raise
    asyncpg errors: the ledger's (map them with ledger.refusal_code) and the market's
    (refusals.py)."""
    reservation = [values[f] for f in RESERVATION_FIELDS]
    return await db.fetchval(INSERT_WITH_HOLD, *transfer_values(hold), *reservation,
                              *outbox.values(event)) is not None


async def resolving(db: Db, reservation_id: uuid.UUID, *, lock: bool = True
                    ) -> asyncpg.Record | None:
    """The reservation, with its hold and terms, for its redemption or release: locked
    until the transaction ends, unless `lock` is False."""
    return await db.fetchrow(RESOLVING_LOCKED if lock else RESOLVING_ONE, reservation_id)


async def claim_due(db: Db) -> asyncpg.Record | None:
    """One pending reservation past its expires_at that no one else is resolving."""
    return await db.fetchrow(RESOLVING + """
        WHERE r.status = 'pending' AND r.expires_at <= now()
        ORDER BY r.expires_at LIMIT 1
        FOR NO KEY UPDATE OF r SKIP LOCKED""")


async def pending_of_deal(db: Db, deal_id: uuid.UUID) -> list[asyncpg.Record]:
    return list(await db.fetch(RESOLVING + """
        WHERE r.deal_id = $1 AND r.status = 'pending'
        ORDER BY r.id FOR NO KEY UPDATE OF r""", deal_id))


async def resolve(db: Db, reservation_id: uuid.UUID, resolution: Transfer,
                  event: IntegrationEvent, *, resolved_at: datetime, status: str,
                  redeemed_fen: int = 0, reason: str | None = None) -> int | None:
    """Insert `resolution` and `event` (outbox) and mark the reservation resolved: its new
    version. None, and nothing written, when the transfer's id was taken or the reservation
    is no longer pending (see RESOLVE). Refusals raise asyncpg errors, as insert_with_hold."""
    return await db.fetchval(RESOLVE, *transfer_values(resolution), reservation_id, status,
                              redeemed_fen, reason, resolved_at, *outbox.values(event))


async def mark_resolved(db: Db, reservation_id: uuid.UUID, *, resolved_at: datetime,
                        status: str, redeemed_fen: int = 0, reason: str | None = None
                        ) -> int | None:
    """The reservation's new version; None if no longer pending. Its resolving transfer
    must be in the ledger already (the reservations trigger checks)."""
    return await db.fetchval(MARK_RESOLVED, reservation_id, status, redeemed_fen, reason,
                              resolved_at)


async def voucher_swept(db: Db, voucher_id: uuid.UUID) -> bool:
    """Has the use-by sweep emptied the voucher? Ask after this transaction locked the
    voucher's account (by resolving a hold): a sweep that ran first has committed by then,
    and one that runs later waits for this transaction and sees the money it returns."""
    return bool(await db.fetchval(VOUCHER_SWEPT, voucher_id))


async def reservation_view(db: Db, reservation_id: uuid.UUID
                           ) -> asyncpg.Record | None:
    return await db.fetchrow(
        f"SELECT {RESERVATION_COLUMNS}, r.program_id AS program_id, r.issuer_region "
        "FROM reservations r WHERE r.id = $1", reservation_id)
