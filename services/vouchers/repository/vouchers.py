"""Vouchers, their balances (read off the ledger, docs/ledger.md §4) and the use-by sweep."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.vouchers.domain import TransferCode
from services.vouchers.repository.ledger import ACCOUNT_COLUMNS
from services.vouchers.repository.paging import page_filter
from services.vouchers.repository.programs import PROGRAM_COLUMNS
from shared.db import Db

VOUCHER_COLUMNS = (
    "v.id AS voucher_id, v.enterprise_org_id, v.amount_fen, v.account_id, v.expired_at, "
    "v.version, v.created_at")
ACCOUNT_AS = ", ".join(f"a.{c} AS account_{c}" for c in ACCOUNT_COLUMNS.split(", "))

VOUCHER_VIEW = f"""
    SELECT {VOUCHER_COLUMNS}, {PROGRAM_COLUMNS}, {ACCOUNT_AS},
           (SELECT coalesce(sum(t.amount), 0)::bigint FROM ledger_transfers t
             WHERE t.voucher_id = v.id AND t.code = {TransferCode.VOUCHER_EXPIRY:d})
               AS expired_fen
      FROM vouchers v
      JOIN programs p ON p.id = v.program_id
      JOIN ledger_accounts a ON a.id = v.account_id"""

INSERT_VOUCHER = """
    INSERT INTO vouchers (id, program_id, enterprise_org_id, issuer_region, amount_fen,
        account_id, issue_transfer_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7)"""
VOUCHER_FIELDS = ("id", "program_id", "enterprise_org_id", "issuer_region", "amount_fen",
                  "account_id", "issue_transfer_id")

# One voucher of a program past its use-by date whose unused balance has not gone back yet;
# SKIP LOCKED lets a sweeper in every replica take different vouchers.
CLAIM_DUE = f"""
    SELECT {VOUCHER_COLUMNS}, {PROGRAM_COLUMNS}, now() AS now
      FROM vouchers v JOIN programs p ON p.id = v.program_id
     WHERE v.expired_at IS NULL AND p.use_by <= now()
     LIMIT 1
       FOR NO KEY UPDATE OF v SKIP LOCKED"""

ISSUED_TO = """SELECT issued_fen FROM enterprise_allowances
    WHERE program_id = $1 AND enterprise_org_id = $2"""
MARK_EXPIRED = "UPDATE vouchers SET expired_at = now(), version = version + 1 WHERE id = $1"


async def insert_voucher(db: Db, values: dict[str, Any]) -> None:
    await db.execute(INSERT_VOUCHER, *(values[f] for f in VOUCHER_FIELDS))


async def voucher_view(db: Db, voucher_id: uuid.UUID) -> asyncpg.Record | None:
    return await db.fetchrow(VOUCHER_VIEW + " WHERE v.id = $1", voucher_id)


async def vouchers_page(db: Db, *, limit: int, after: tuple[Any, uuid.UUID] | None,
                        enterprise_org_id: uuid.UUID | None,
                        issuer_region: str | None) -> list[asyncpg.Record]:
    where, args = page_filter(
        (("v.enterprise_org_id", enterprise_org_id), ("v.issuer_region", issuer_region)),
        keyset="(v.created_at, v.id)", after=after, limit=limit)
    return await db.fetch(f"{VOUCHER_VIEW} WHERE {where} ORDER BY v.created_at, v.id LIMIT $1",
                          *args)


async def issued_to(db: Db, program_id: uuid.UUID, enterprise_org_id: uuid.UUID) -> int:
    """Everything the program ever issued to the enterprise (the cap counts all of it)."""
    return int(await db.fetchval(ISSUED_TO, program_id, enterprise_org_id) or 0)


async def claim_due_for_expiry(db: Db) -> asyncpg.Record | None:
    return await db.fetchrow(CLAIM_DUE)


async def mark_expired(db: Db, voucher_id: uuid.UUID) -> None:
    await db.execute(MARK_EXPIRED, voucher_id)
