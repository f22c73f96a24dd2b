"""Vouchers, their balances (read off the ledger, docs/ledger.md §4) and the use-by sweep."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers.domain import TransferCode
from services.vouchers.repository.ledger import ACCOUNT_COLUMNS
from services.vouchers.repository.paging import page_filter
from services.vouchers.repository.programs import PROGRAM_COLUMNS

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

INSERT_VOUCHER = text("""
    INSERT INTO vouchers (id, program_id, enterprise_org_id, issuer_region, amount_fen,
        account_id, issue_transfer_id)
    VALUES (:id, :program_id, :enterprise_org_id, :issuer_region, :amount_fen, :account_id,
        :issue_transfer_id)""")

# One voucher of a program past its use-by date whose unused balance has not gone back yet;
# SKIP LOCKED lets a sweeper in every replica take different vouchers.
CLAIM_DUE = text(f"""
    SELECT {VOUCHER_COLUMNS}, {PROGRAM_COLUMNS}, now() AS now
      FROM vouchers v JOIN programs p ON p.id = v.program_id
     WHERE v.expired_at IS NULL AND p.use_by <= now()
     LIMIT 1
       FOR NO KEY UPDATE OF v SKIP LOCKED""")


async def insert_voucher(session: AsyncSession, values: dict[str, Any]) -> None:
    await session.execute(INSERT_VOUCHER, values)


async def voucher_view(session: AsyncSession, voucher_id: uuid.UUID) -> RowMapping | None:
    stmt = text(VOUCHER_VIEW + " WHERE v.id = :id")
    return (await session.execute(stmt, {"id": voucher_id})).mappings().first()


async def vouchers_page(session: AsyncSession, *, limit: int,
                        after: tuple[Any, uuid.UUID] | None,
                        enterprise_org_id: uuid.UUID | None,
                        issuer_region: str | None) -> list[RowMapping]:
    where, params = page_filter(
        {"enterprise": ("v.enterprise_org_id", enterprise_org_id),
         "region": ("v.issuer_region", issuer_region)},
        keyset="(v.created_at, v.id)", after=after, limit=limit)
    stmt = text(f"{VOUCHER_VIEW} WHERE {where} ORDER BY v.created_at, v.id LIMIT :limit")
    return list((await session.execute(stmt, params)).mappings().all())


async def issued_to(session: AsyncSession, program_id: uuid.UUID,
                    enterprise_org_id: uuid.UUID) -> int:
    """Everything the program ever issued to the enterprise (the cap counts all of it)."""
    stmt = text("SELECT issued_fen FROM enterprise_allowances "
                "WHERE program_id = :program AND enterprise_org_id = :enterprise")
    params = {"program": program_id, "enterprise": enterprise_org_id}
    return int((await session.execute(stmt, params)).scalar_one_or_none() or 0)


async def claim_due_for_expiry(session: AsyncSession) -> RowMapping | None:
    return (await session.execute(CLAIM_DUE)).mappings().first()


async def mark_expired(session: AsyncSession, voucher_id: uuid.UUID) -> None:
    stmt = text("UPDATE vouchers SET expired_at = now(), version = version + 1 WHERE id = :id")
    await session.execute(stmt, {"id": voucher_id})
