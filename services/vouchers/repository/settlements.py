"""What each issuing region owes each provider: its payable accounts (docs/ledger.md §4)."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.vouchers.domain import AccountCode
from services.vouchers.repository.paging import page_filter
from shared.db import Db

# A provider's region: from the organisations replica, else from the deals it was reserved
# for (a deal's seller region comes with deal.signed).
PROVIDER_REGION = """coalesce(
    (SELECT o.region FROM organizations o WHERE o.id = {provider}),
    (SELECT r.provider_region FROM reservations r WHERE r.provider_org_id = {provider} LIMIT 1))"""

OWED = f"""
    SELECT a.id, a.region AS issuer_region, a.provider_org_id,
           a.credits_posted - a.debits_posted AS owed_fen, a.debits_posted AS paid_fen,
           a.credits_pending AS reserved_fen, a.created_at,
           {PROVIDER_REGION.format(provider="a.provider_org_id")} AS provider_region
      FROM ledger_accounts a
     WHERE a.code = {AccountCode.PROVIDER_PAYABLE:d} AND a.credits_posted > a.debits_posted"""


PROVIDER_REGION_OF = "SELECT " + PROVIDER_REGION.format(provider="$1::uuid")


async def owed_page(db: Db, *, limit: int, after: tuple[Any, uuid.UUID] | None,
                    issuer_region: str | None, provider_region: str | None,
                    provider_org_id: uuid.UUID | None) -> list[asyncpg.Record]:
    """Payables with money owed (redeemed and not yet paid), oldest account first."""
    where, args = page_filter(
        (("issuer_region", issuer_region), ("provider_region", provider_region),
         ("provider_org_id", provider_org_id)),
        keyset="(created_at, id)", after=after, limit=limit)
    return await db.fetch(
        f"SELECT * FROM ({OWED}) owed WHERE {where} ORDER BY created_at, id LIMIT $1", *args)


async def provider_region(db: Db, provider_org_id: uuid.UUID) -> str | None:
    return await db.fetchval(PROVIDER_REGION_OF, provider_org_id)  # type: ignore[no-any-return]
