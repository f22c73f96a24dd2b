"""GET /ledger/check: every invariant, over the whole ledger, at one instant."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers.repository import ledger_check
from services.vouchers.schemas import LedgerCheckOut, ViolationOut


async def check(session: AsyncSession) -> LedgerCheckOut:
    found = await ledger_check.violations(session)
    return LedgerCheckOut(ok=not found, violations=[
        ViolationOut(invariant=v.invariant, subject=v.subject, detail=v.detail) for v in found])
