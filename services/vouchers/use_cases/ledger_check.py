"""GET /ledger/check: every invariant at one instant, over the part of the ledger the caller
may see (an operator: its region's; the administrator: the whole ledger)."""

from __future__ import annotations

from services.vouchers.repository import ledger_check
from services.vouchers.schemas import LedgerCheckOut, ViolationOut
from services.vouchers.use_cases.access import region_seen_by
from shared.auth import Principal
from shared.db import Db


async def check(db: Db, who: Principal) -> LedgerCheckOut:
    found = await ledger_check.violations(db, region_seen_by(who))
    return LedgerCheckOut(ok=not found, violations=[
        ViolationOut(invariant=v.invariant, subject=v.subject, detail=v.detail) for v in found])
