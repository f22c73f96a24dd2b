"""The in-memory double-entry ledger: the reference model of the PostgreSQL ledger.

Production never runs it: the ledger's rules live in the database (the triggers and
constraints of migrations 0002-0004, docs/ledger.md). The tests check PostgreSQL against
this model (tests/integration/vouchers/test_vouchers_ledger_postgres.py) and the market's
movements and balances on it (tests/unit/vouchers). Deliberately naive (dicts,
whole-object replacement, no batching) so that it is obviously correct. A refused
transfer leaves no trace, so its id may be tried again later (the refusal rolls back with
the database row).

One deliberate difference from TigerBeetle: an expired pending transfer is not released
by the ledger on its own. Its reservation stays pending until a void records the release,
so every change of a balance is a transfer row. Voiding an expired transfer is allowed;
posting one is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from services.vouchers.domain.layout import TransferCode
from services.vouchers.domain.ledger_model import (
    ACCOUNT_IDEMPOTENCY_FIELDS,
    Account,
    Result,
    ResultCode,
    Transfer,
    compare_with_stored,
)
from services.vouchers.domain.transfer_checks import account_shape_error, transfer_shape_error

# Compared on a retry; the timestamp is excluded because the ledger, not the client, sets it.
IDEMPOTENCY_FIELDS: tuple[str, ...] = (
    "debit_account_id",
    "credit_account_id",
    "amount",
    "pending_id",
    "flags",
    "timeout",
    "code",
    "user_data",
)


class PendingState(StrEnum):
    PENDING = "pending"
    EXPIRED = "expired"  # still holding its amount, but can only be voided now
    POSTED = "posted"
    VOIDED = "voided"


def is_expired(pending: Transfer, now: datetime) -> bool:
    expires_at = pending.expires_at()
    return expires_at is not None and now >= expires_at


class Ledger:
    def __init__(self) -> None:
        self._accounts: dict[UUID, Account] = {}
        self._transfers: dict[UUID, Transfer] = {}  # insertion order = acceptance order
        self._resolved_by: dict[UUID, Transfer] = {}  # pending id -> its post or void

    # -- reading -------------------------------------------------------------------------

    def accounts(self) -> list[Account]:
        return list(self._accounts.values())

    def transfers(self) -> list[Transfer]:
        return list(self._transfers.values())

    def account(self, account_id: UUID) -> Account | None:
        return self._accounts.get(account_id)

    def transfer(self, transfer_id: UUID) -> Transfer | None:
        return self._transfers.get(transfer_id)

    def pending_state(self, pending_id: UUID, now: datetime) -> PendingState | None:
        pending = self._transfers.get(pending_id)
        if pending is None or not pending.is_pending:
            return None
        resolution = self._resolved_by.get(pending_id)
        if resolution is not None:
            return PendingState.POSTED if resolution.is_post else PendingState.VOIDED
        return PendingState.EXPIRED if is_expired(pending, now) else PendingState.PENDING

    # -- writing -------------------------------------------------------------------------

    def create_account(self, account: Account) -> Result:
        error = account_shape_error(account)
        if error is not None:
            return Result(error)
        stored = self._accounts.get(account.id)
        if stored is not None:
            return compare_with_stored(stored, account, ACCOUNT_IDEMPOTENCY_FIELDS)
        self._accounts[account.id] = account
        return Result(ResultCode.OK)

    def create_transfer(self, transfer: Transfer, now: datetime) -> Result:
        # Shape first (as TigerBeetle and PostgreSQL's CHECKs do): a genuine retry has the
        # shape its first attempt had, so it still gets through to `exists`.
        error = transfer_shape_error(transfer)
        if error is not None:
            return Result(error)
        stored = self._transfers.get(transfer.id)
        if stored is not None:
            # Before the ledger-state checks: a retry must not fail because balances moved.
            return compare_with_stored(stored, transfer, IDEMPOTENCY_FIELDS)
        error = self._accounts_error(transfer)
        pending = None
        if error is None and transfer.resolves_pending:
            pending = self._transfers.get(transfer.pending_id)  # type: ignore[arg-type]
            error = self._resolution_error(transfer, pending, now)
        if error is not None:
            return Result(error)
        return self._apply(transfer, pending, now)

    def _accounts_error(self, transfer: Transfer) -> ResultCode | None:
        if transfer.debit_account_id not in self._accounts:
            return ResultCode.DEBIT_ACCOUNT_NOT_FOUND
        if transfer.credit_account_id not in self._accounts:
            return ResultCode.CREDIT_ACCOUNT_NOT_FOUND
        return None

    def _resolution_error(
        self, transfer: Transfer, pending: Transfer | None, now: datetime
    ) -> ResultCode | None:
        if pending is None:
            return ResultCode.PENDING_TRANSFER_NOT_FOUND
        # Checked before the fields (TigerBeetle does it after) because in PostgreSQL the
        # unique index on pending_id answers before any trigger can look at the fields.
        earlier = self._resolved_by.get(pending.id)
        if earlier is not None:
            if earlier.is_post:
                return ResultCode.PENDING_TRANSFER_ALREADY_POSTED
            return ResultCode.PENDING_TRANSFER_ALREADY_VOIDED
        error = resolution_error(transfer, pending)
        if error is not None:
            return error
        if transfer.is_post and is_expired(pending, now):
            return ResultCode.PENDING_TRANSFER_EXPIRED
        return None

    def _apply(self, transfer: Transfer, pending: Transfer | None, now: datetime) -> Result:
        debited = debit(self._accounts[transfer.debit_account_id], transfer, pending)
        credited = credit(self._accounts[transfer.credit_account_id], transfer, pending)
        error = limit_error(debited, credited)
        if error is not None:
            return Result(error)
        self._accounts[debited.id] = debited
        self._accounts[credited.id] = credited
        accepted = replace(transfer, timestamp=now)
        self._transfers[accepted.id] = accepted
        if pending is not None:
            self._resolved_by[pending.id] = accepted
        return Result(ResultCode.OK)


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


def total(
    transfers: Iterable[Transfer],
    code: TransferCode,
    *,
    program_id: UUID | None = None,
    voucher_id: UUID | None = None,
) -> int:
    """Sum of the amounts of transfers with `code`, for one program and/or voucher (the
    sums production reads in SQL, repository.programs/vouchers).

    For redemptions this is what was really paid out: a post carries the posted amount.
    """
    return sum(
        t.amount
        for t in transfers
        if t.code == code
        and (program_id is None or t.user_data.program_id == program_id)
        and (voucher_id is None or t.user_data.voucher_id == voucher_id)
    )
