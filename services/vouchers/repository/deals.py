"""The replica of deals (from deals.events): what vouchers need to know of a deal.

Events of one deal arrive in order (one Kafka key), but a replay or a late duplicate must
never move a deal backwards: each write says from which statuses it may follow.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

DEAL_COLUMNS = ("id, status, contract_type, total_fen, tech_amount_fen, seller_org_id, "
                "buyer_org_id, seller_region, buyer_region, registration_no")

UPSERT_WITH_TERMS = text("""
    INSERT INTO deals AS d (id, status, contract_type, total_fen, tech_amount_fen,
        seller_org_id, buyer_org_id, seller_region, buyer_region, registration_no)
    VALUES (:id, :status, :contract_type, :total_fen, :tech_amount_fen, :seller_org_id,
        :buyer_org_id, :seller_region, :buyer_region, :registration_no)
    ON CONFLICT (id) DO UPDATE SET
        status = EXCLUDED.status, contract_type = EXCLUDED.contract_type,
        total_fen = EXCLUDED.total_fen, tech_amount_fen = EXCLUDED.tech_amount_fen,
        seller_org_id = EXCLUDED.seller_org_id, buyer_org_id = EXCLUDED.buyer_org_id,
        seller_region = EXCLUDED.seller_region, buyer_region = EXCLUDED.buyer_region,
        registration_no = coalesce(EXCLUDED.registration_no, d.registration_no),
        replicated_at = clock_timestamp()
    WHERE d.status = ANY(:may_follow)
    RETURNING status""")

# Events that carry only the parties (completed, terminated) keep the contract terms known.
UPSERT_STATUS = text("""
    INSERT INTO deals AS d (id, status, seller_org_id, buyer_org_id, seller_region,
        buyer_region)
    VALUES (:id, :status, :seller_org_id, :buyer_org_id, :seller_region, :buyer_region)
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, replicated_at = clock_timestamp()
    WHERE d.status = ANY(:may_follow)
    RETURNING status""")


async def upsert_with_terms(session: AsyncSession, values: dict[str, Any],
                            may_follow: Collection[str]) -> bool:
    """True when the deal now reads as `values` says (False: it was already further on)."""
    params = {"registration_no": None, **values, "may_follow": list(may_follow)}
    return (await session.execute(UPSERT_WITH_TERMS, params)).first() is not None


async def upsert_status(session: AsyncSession, values: dict[str, Any],
                        may_follow: Collection[str]) -> bool:
    params = {**values, "may_follow": list(may_follow)}
    return (await session.execute(UPSERT_STATUS, params)).first() is not None


async def set_status(session: AsyncSession, deal_id: uuid.UUID, status: str,
                     may_follow: Collection[str]) -> bool:
    stmt = text("UPDATE deals SET status = :status, replicated_at = clock_timestamp() "
                "WHERE id = :id AND status = ANY(:may_follow) RETURNING status")
    params = {"id": deal_id, "status": status, "may_follow": list(may_follow)}
    return (await session.execute(stmt, params)).first() is not None


async def deal_by_id(session: AsyncSession, deal_id: uuid.UUID) -> RowMapping | None:
    stmt = text(f"SELECT {DEAL_COLUMNS} FROM deals WHERE id = :id")
    return (await session.execute(stmt, {"id": deal_id})).mappings().first()
