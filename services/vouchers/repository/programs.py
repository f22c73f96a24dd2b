"""Programs and what their budgets hold (read off the ledger, docs/ledger.md §4)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.vouchers.domain import TransferCode
from services.vouchers.repository.ledger import ACCOUNT_COLUMNS
from services.vouchers.repository.paging import page_filter
from shared.db import Db

# The program's terms, as every use case that reads a program needs them.
PROGRAM_COLUMNS = (
    "p.id AS program_id, p.issuer_region, p.name, p.year, p.budget_fen, p.max_share_bp, "
    "p.cap_per_enterprise_fen, p.eligible_contract_types, p.recognized_regions, "
    "p.provider_catalog, p.use_by, p.redeem_by, p.reservation_timeout_seconds, "
    "p.budget_account_id, p.version AS program_version, p.created_at AS program_created_at")

INSERT_PROGRAM = """
    INSERT INTO programs (id, issuer_region, name, year, budget_fen, max_share_bp,
        cap_per_enterprise_fen, eligible_contract_types, recognized_regions, provider_catalog,
        use_by, redeem_by, reservation_timeout_seconds, budget_account_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"""
PROGRAM_FIELDS = ("id", "issuer_region", "name", "year", "budget_fen", "max_share_bp",
                  "cap_per_enterprise_fen", "eligible_contract_types", "recognized_regions",
                  "provider_catalog", "use_by", "redeem_by", "reservation_timeout_seconds",
                  "budget_account_id")

BUDGET_COLUMNS = ", ".join(f"a.{c} AS budget_{c}" for c in ACCOUNT_COLUMNS.split(", "))

PROGRAM_VIEW = f"""
    SELECT {PROGRAM_COLUMNS}, {BUDGET_COLUMNS},
           (SELECT coalesce(sum(t.amount), 0)::bigint FROM ledger_transfers t
             WHERE t.program_id = p.id AND t.code = {TransferCode.REDEMPTION:d}) AS redeemed_fen,
           (SELECT coalesce(sum(t.amount), 0)::bigint FROM ledger_transfers t
             WHERE t.program_id = p.id AND t.code = {TransferCode.VOUCHER_EXPIRY:d})
               AS returned_fen
      FROM programs p JOIN ledger_accounts a ON a.id = p.budget_account_id
     WHERE p.id = $1"""

PROGRAM = f"SELECT {PROGRAM_COLUMNS} FROM programs p WHERE p.id = $1"


async def insert_program(db: Db, values: dict[str, Any]) -> None:
    await db.execute(INSERT_PROGRAM, *(values[f] for f in PROGRAM_FIELDS))


async def program_by_id(db: Db, program_id: uuid.UUID) -> asyncpg.Record | None:
    return await db.fetchrow(PROGRAM, program_id)


async def program_view(db: Db, program_id: uuid.UUID) -> asyncpg.Record | None:
    """The program with its budget account and the sums the API shows."""
    return await db.fetchrow(PROGRAM_VIEW, program_id)


async def transfers_page(db: Db, program_id: uuid.UUID, limit: int,
                         before: tuple[Any, uuid.UUID] | None) -> list[asyncpg.Record]:
    """The program's transfers, newest first; `before` is the keyset cursor."""
    where, args = page_filter((("program_id", program_id),), keyset="(created_at, id)",
                              after=before, limit=limit, newest_first=True)
    return await db.fetch(f"SELECT * FROM ledger_transfers WHERE {where} "
                          "ORDER BY created_at DESC, id DESC LIMIT $1", *args)
