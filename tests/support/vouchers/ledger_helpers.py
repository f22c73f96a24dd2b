"""Small builders shared by the vouchers ledger tests (no fixtures: plain functions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from services.vouchers.domain import Account, AccountFlags, Transfer, TransferFlags
from tests.support.vouchers.reference_ledger import Ledger

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LIMITED = AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS
SOURCE = AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS


def uid(n: int) -> UUID:
    return UUID(int=n)


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def transfer(
    n: int,
    debit: int,
    credit: int,
    amount: int,
    flags: TransferFlags = TransferFlags.NONE,
    pending: int | None = None,
    timeout: int = 0,
) -> Transfer:
    return Transfer(
        id=uid(n),
        debit_account_id=uid(debit),
        credit_account_id=uid(credit),
        amount=amount,
        code=1,
        flags=flags,
        pending_id=uid(pending) if pending is not None else None,
        timeout=timeout,
    )


def hold(n: int, debit: int, credit: int, amount: int, timeout: int = 0) -> Transfer:
    return transfer(n, debit, credit, amount, TransferFlags.PENDING, timeout=timeout)


def post(n: int, pending: Transfer, amount: int) -> Transfer:
    return _resolve(n, pending, amount, TransferFlags.POST_PENDING)


def void(n: int, pending: Transfer) -> Transfer:
    return _resolve(n, pending, pending.amount, TransferFlags.VOID_PENDING)


def _resolve(n: int, pending: Transfer, amount: int, flags: TransferFlags) -> Transfer:
    return Transfer(
        id=uid(n),
        debit_account_id=pending.debit_account_id,
        credit_account_id=pending.credit_account_id,
        amount=amount,
        code=pending.code,
        flags=flags,
        pending_id=pending.id,
    )


def funded_ledger(balance: int = 100) -> Ledger:
    """Account 1 is a free source, 2 a limited holder funded with `balance`, 3 a sink."""
    ledger = Ledger()
    ledger.create_account(Account(id=uid(1), code=1))
    ledger.create_account(Account(id=uid(2), code=2, flags=LIMITED))
    ledger.create_account(Account(id=uid(3), code=3))
    if balance:
        ledger.create_transfer(transfer(1000, 1, 2, balance), T0)
    return ledger


def counters(ledger: Ledger, n: int) -> tuple[int, int, int, int]:
    """debits_pending, debits_posted, credits_pending, credits_posted of account n."""
    a = ledger.account(uid(n))
    assert a is not None
    return (a.debits_pending, a.debits_posted, a.credits_pending, a.credits_posted)
