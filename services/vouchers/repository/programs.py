"""Programs and what their budgets hold (read off the ledger, docs/ledger.md §4)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers.domain import TransferCode
from services.vouchers.repository.ledger import ACCOUNT_COLUMNS
from services.vouchers.repository.paging import page_filter

# The program's terms, as every use case that reads a program needs them.
PROGRAM_COLUMNS = (
    "p.id AS program_id, p.issuer_region, p.name, p.year, p.budget_fen, p.max_share_bp, "
    "p.cap_per_enterprise_fen, p.eligible_contract_types, p.recognized_regions, "
    "p.provider_catalog, p.use_by, p.redeem_by, p.reservation_timeout_seconds, "
    "p.budget_account_id, p.version AS program_version, p.created_at AS program_created_at")

INSERT_PROGRAM = text("""
    INSERT INTO programs (id, issuer_region, name, year, budget_fen, max_share_bp,
        cap_per_enterprise_fen, eligible_contract_types, recognized_regions, provider_catalog,
        use_by, redeem_by, reservation_timeout_seconds, budget_account_id)
    VALUES (:id, :issuer_region, :name, :year, :budget_fen, :max_share_bp,
        :cap_per_enterprise_fen, :eligible_contract_types, :recognized_regions,
        :provider_catalog, :use_by, :redeem_by, :reservation_timeout_seconds,
        :budget_account_id)""")

BUDGET_COLUMNS = ", ".join(f"a.{c} AS budget_{c}" for c in ACCOUNT_COLUMNS.split(", "))

PROGRAM_VIEW = text(f"""
    SELECT {PROGRAM_COLUMNS}, {BUDGET_COLUMNS},
           (SELECT coalesce(sum(t.amount), 0)::bigint FROM ledger_transfers t
             WHERE t.program_id = p.id AND t.code = {TransferCode.REDEMPTION:d}) AS redeemed_fen,
           (SELECT coalesce(sum(t.amount), 0)::bigint FROM ledger_transfers t
             WHERE t.program_id = p.id AND t.code = {TransferCode.VOUCHER_EXPIRY:d})
               AS returned_fen
      FROM programs p JOIN ledger_accounts a ON a.id = p.budget_account_id
     WHERE p.id = :id""")


async def insert_program(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(INSERT_PROGRAM, values)


async def program_by_id(session: AsyncSession, program_id: uuid.UUID) -> RowMapping | None:
    stmt = text(f"SELECT {PROGRAM_COLUMNS} FROM programs p WHERE p.id = :id")
    return (await session.execute(stmt, {"id": program_id})).mappings().first()


async def program_view(session: AsyncSession, program_id: uuid.UUID) -> RowMapping | None:
    """The program with its budget account and the sums the API shows."""
    return (await session.execute(PROGRAM_VIEW, {"id": program_id})).mappings().first()


async def transfers_page(session: AsyncSession, program_id: uuid.UUID, limit: int,
                         before: tuple[Any, uuid.UUID] | None) -> list[RowMapping]:
    """The program's transfers, newest first; `before` is the keyset cursor."""
    where, params = page_filter({"id": ("program_id", program_id)},
                                keyset="(created_at, id)", after=before, limit=limit,
                                newest_first=True)
    stmt = text(f"SELECT * FROM ledger_transfers WHERE {where} "
                "ORDER BY created_at DESC, id DESC LIMIT :limit")
    return list((await session.execute(stmt, params)).mappings().all())
