"""GET /ledger/check: every invariant, over the whole ledger, at one instant."""

from __future__ import annotations

from services.vouchers.repository import ledger_check
from services.vouchers.schemas import LedgerCheckOut, ViolationOut
from shared.db import Db


async def check(db: Db) -> LedgerCheckOut:
    found = await ledger_check.violations(db)
    return LedgerCheckOut(ok=not found, violations=[
        ViolationOut(invariant=v.invariant, subject=v.subject, detail=v.detail) for v in found])
