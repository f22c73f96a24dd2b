"""The replica of deals (from deals.events): what vouchers need to know of a deal.

Events of one deal arrive in order (one Kafka key), but a replay or a late duplicate must
never move a deal backwards: each write says from which statuses it may follow.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from shared.db import Db

UPSERT_WITH_TERMS = """
    INSERT INTO deals AS d (id, status, contract_type, total_fen, tech_amount_fen,
        seller_org_id, buyer_org_id, seller_region, buyer_region, registration_no)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (id) DO UPDATE SET
        status = EXCLUDED.status, contract_type = EXCLUDED.contract_type,
        total_fen = EXCLUDED.total_fen, tech_amount_fen = EXCLUDED.tech_amount_fen,
        seller_org_id = EXCLUDED.seller_org_id, buyer_org_id = EXCLUDED.buyer_org_id,
        seller_region = EXCLUDED.seller_region, buyer_region = EXCLUDED.buyer_region,
        registration_no = coalesce(EXCLUDED.registration_no, d.registration_no),
        replicated_at = clock_timestamp()
    WHERE d.status = ANY($11::text[])
    RETURNING status"""

# Events that carry only the parties (completed, terminated) keep the contract terms known.
UPSERT_STATUS = """
    INSERT INTO deals AS d (id, status, seller_org_id, buyer_org_id, seller_region,
        buyer_region)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, replicated_at = clock_timestamp()
    WHERE d.status = ANY($7::text[])
    RETURNING status"""

SET_STATUS = """
    UPDATE deals SET status = $2, replicated_at = clock_timestamp()
     WHERE id = $1 AND status = ANY($3::text[])
    RETURNING status"""

PARTIES = ("id", "status", "seller_org_id", "buyer_org_id", "seller_region", "buyer_region")


async def upsert_with_terms(db: Db, values: dict[str, Any],
                            may_follow: Collection[str]) -> bool:
    """True when the deal now reads as `values` says (False: it was already further on)."""
    return await db.fetchval(
        UPSERT_WITH_TERMS, values["id"], values["status"], values["contract_type"],
        values["total_fen"], values["tech_amount_fen"], values["seller_org_id"],
        values["buyer_org_id"], values["seller_region"], values["buyer_region"],
        values.get("registration_no"), list(may_follow)) is not None


async def upsert_status(db: Db, values: dict[str, Any], may_follow: Collection[str]) -> bool:
    return await db.fetchval(UPSERT_STATUS, *(values[p] for p in PARTIES),
                             list(may_follow)) is not None


async def set_status(db: Db, deal_id: uuid.UUID, status: str,
                     may_follow: Collection[str]) -> bool:
    return await db.fetchval(SET_STATUS, deal_id, status, list(may_follow)) is not None
