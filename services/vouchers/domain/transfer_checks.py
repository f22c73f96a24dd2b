"""Checks on a transfer or an account that need no ledger state.

The repository runs them before it talks to PostgreSQL (which refuses the same shapes with
its CHECK constraints), and the reference ledger in tests/support/vouchers runs the very
same ones.
"""

from __future__ import annotations

from services.vouchers.domain.ledger_model import (
    Account,
    AccountFlags,
    ResultCode,
    Transfer,
    TransferFlags,
)

_KIND_FLAGS = (TransferFlags.PENDING, TransferFlags.POST_PENDING, TransferFlags.VOID_PENDING)
_BOTH_LIMITS = (
    AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS
)


def account_shape_error(account: Account) -> ResultCode | None:
    if account.id.int == 0:
        return ResultCode.ID_MUST_NOT_BE_ZERO
    if account.flags & _BOTH_LIMITS == _BOTH_LIMITS:
        return ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE
    counters = (
        account.debits_pending,
        account.debits_posted,
        account.credits_pending,
        account.credits_posted,
    )
    if any(counters):
        # Balances may only come from transfers, or "balance = sum of transfers" breaks.
        return ResultCode.BALANCES_MUST_BE_ZERO
    return None


def transfer_shape_error(transfer: Transfer) -> ResultCode | None:
    """The first reason the transfer is malformed on its own, or None."""
    if transfer.id.int == 0:
        return ResultCode.ID_MUST_NOT_BE_ZERO
    if sum(1 for flag in _KIND_FLAGS if transfer.flags & flag) > 1:
        return ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE
    if transfer.amount <= 0:
        return ResultCode.AMOUNT_MUST_BE_POSITIVE
    if transfer.timeout < 0:
        return ResultCode.TIMEOUT_MUST_NOT_BE_NEGATIVE
    if transfer.timeout and not transfer.is_pending:
        return ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER
    if transfer.debit_account_id == transfer.credit_account_id:
        return ResultCode.ACCOUNTS_MUST_BE_DIFFERENT
    return _pending_id_error(transfer)


def _pending_id_error(transfer: Transfer) -> ResultCode | None:
    if not transfer.resolves_pending:
        return None if transfer.pending_id is None else ResultCode.PENDING_ID_MUST_BE_ZERO
    if transfer.pending_id is None or transfer.pending_id.int == 0:
        return ResultCode.PENDING_ID_MUST_NOT_BE_ZERO
    if transfer.pending_id == transfer.id:
        return ResultCode.PENDING_ID_MUST_BE_DIFFERENT
    return None
