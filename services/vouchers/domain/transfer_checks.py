"""Checks on a transfer that need no ledger state, and the arithmetic of applying one.

Kept apart from the Ledger class so the database repository can reuse the very same
checks before it talks to PostgreSQL, and the reference model stays short.
"""

from __future__ import annotations

from dataclasses import replace

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


def resolution_error(resolving: Transfer, pending: Transfer) -> ResultCode | None:
    """Why `resolving` (a post or void) may not resolve `pending`, ignoring time and reuse."""
    if not pending.is_pending:
        return ResultCode.PENDING_TRANSFER_NOT_PENDING
    same_accounts = (
        resolving.debit_account_id == pending.debit_account_id
        and resolving.credit_account_id == pending.credit_account_id
    )
    if not same_accounts:
        return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS
    if resolving.is_post and resolving.amount > pending.amount:
        return ResultCode.EXCEEDS_PENDING_TRANSFER_AMOUNT
    if resolving.is_void and resolving.amount != pending.amount:
        # A void releases the whole reservation; naming the amount makes retries comparable.
        return ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT
    return None


def debit(account: Account, transfer: Transfer, pending: Transfer | None) -> Account:
    """The debit account after `transfer`; `pending` is the transfer a post/void resolves."""
    if pending is None:
        if transfer.is_pending:
            return replace(account, debits_pending=account.debits_pending + transfer.amount)
        return replace(account, debits_posted=account.debits_posted + transfer.amount)
    posted = transfer.amount if transfer.is_post else 0
    return replace(
        account,
        debits_pending=account.debits_pending - pending.amount,
        debits_posted=account.debits_posted + posted,
    )


def credit(account: Account, transfer: Transfer, pending: Transfer | None) -> Account:
    """The credit account after `transfer`; mirror image of `debit`."""
    if pending is None:
        if transfer.is_pending:
            return replace(account, credits_pending=account.credits_pending + transfer.amount)
        return replace(account, credits_posted=account.credits_posted + transfer.amount)
    posted = transfer.amount if transfer.is_post else 0
    return replace(
        account,
        credits_pending=account.credits_pending - pending.amount,
        credits_posted=account.credits_posted + posted,
    )


def limit_error(debited: Account, credited: Account) -> ResultCode | None:
    """Checked on the accounts as they WOULD be, so every kind of transfer obeys one rule."""
    if debited.is_overdrawn():
        return ResultCode.EXCEEDS_CREDITS
    if credited.is_overdrawn():
        return ResultCode.EXCEEDS_DEBITS
    return None
