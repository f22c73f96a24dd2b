"""The use-by sweep: a voucher's unused balance goes back to its program's budget."""

from __future__ import annotations

from services.vouchers.domain import layout, spendable
from services.vouchers.domain import movements as move
from services.vouchers.repository import ledger, vouchers
from services.vouchers.use_cases.problems import accepted
from services.vouchers.use_cases.terms import voucher_ref
from shared import outbox
from shared.db import Db
from shared.events.vouchers import VoucherExpired


async def expire_one_voucher(db: Db) -> bool:
    """One voucher of a program past use-by: return what is available (holds stay held;
    their release returns them later). False when no voucher is due."""
    row = await vouchers.claim_due_for_expiry(db)
    if row is None:
        return False
    voucher = voucher_ref(row)
    budget_id = layout.budget_account_id(voucher.program_id)
    # Locked, so nothing is reserved or released between reading and returning the money.
    locked = await ledger.lock_accounts(db, [row["account_id"], budget_id])
    available = spendable(locked[row["account_id"]])
    if available > 0:
        expiry = move.voucher_expiry(voucher, available)
        accepted(await ledger.create_transfer(db, expiry), "voucher expiry")
        await outbox.record(db, VoucherExpired(
            voucher_id=str(voucher.voucher_id), program_id=str(voucher.program_id),
            enterprise_org_id=str(row["enterprise_org_id"]), amount_fen=available,
            occurred_at=row["now"], reason="use_by"))
    await vouchers.mark_expired(db, voucher.voucher_id)
    return True
