"""Accounts, transfers and result codes of the voucher ledger.

The semantics follow TigerBeetle's documented model (flag bit values included) so the
ledger can be reasoned about with its well-understood rules. Amounts are integer fen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import IntFlag, StrEnum
from uuid import UUID


class AccountFlags(IntFlag):
    NONE = 0
    # A holder of money: what leaves (posted or merely reserved) never exceeds what arrived.
    DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1
    # A source of money: what comes back never exceeds what it gave out.
    CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2


class TransferFlags(IntFlag):
    NONE = 0
    PENDING = 1 << 1
    POST_PENDING = 1 << 2
    VOID_PENDING = 1 << 3


RESOLVING = TransferFlags.POST_PENDING | TransferFlags.VOID_PENDING


@dataclass(frozen=True)
class UserData:
    """What a row is about, in the market's terms; opaque to the ledger rules."""

    program_id: UUID | None = None
    voucher_id: UUID | None = None
    reservation_id: UUID | None = None
    deal_id: UUID | None = None
    provider_org_id: UUID | None = None
    region: str | None = None


@dataclass(frozen=True)
class Account:
    id: UUID
    code: int
    flags: AccountFlags = AccountFlags.NONE
    debits_pending: int = 0
    debits_posted: int = 0
    credits_pending: int = 0
    credits_posted: int = 0
    user_data: UserData = field(default_factory=UserData)

    def is_overdrawn(self) -> bool:
        """True when a limit flag is broken, counting reservations (pending) as spent."""
        if self.flags & AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS:
            if self.debits_pending + self.debits_posted > self.credits_posted:
                return True
        if self.flags & AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS:
            if self.credits_pending + self.credits_posted > self.debits_posted:
                return True
        return False


@dataclass(frozen=True)
class Transfer:
    """An immutable movement of `amount` fen from the debit to the credit account.

    `id` is chosen by the client so a retried request is recognised. `timeout` (seconds,
    pending transfers only, 0 = never) bounds how long a pending transfer may be posted.
    `timestamp` is set by the ledger when the transfer is accepted.
    """

    id: UUID
    debit_account_id: UUID
    credit_account_id: UUID
    amount: int
    code: int
    flags: TransferFlags = TransferFlags.NONE
    pending_id: UUID | None = None
    timeout: int = 0
    user_data: UserData = field(default_factory=UserData)
    timestamp: datetime | None = None

    @property
    def is_pending(self) -> bool:
        return bool(self.flags & TransferFlags.PENDING)

    @property
    def is_post(self) -> bool:
        return bool(self.flags & TransferFlags.POST_PENDING)

    @property
    def is_void(self) -> bool:
        return bool(self.flags & TransferFlags.VOID_PENDING)

    @property
    def resolves_pending(self) -> bool:
        return bool(self.flags & RESOLVING)

    def expires_at(self) -> datetime | None:
        if not self.is_pending or self.timeout == 0 or self.timestamp is None:
            return None
        return self.timestamp + timedelta(seconds=self.timeout)


# Compared when an account is created again (a transfer's retry is compared in SQL,
# repository.ledger.DIFFERING_FIELDS).
ACCOUNT_IDEMPOTENCY_FIELDS: tuple[str, ...] = ("code", "flags", "user_data")


class ResultCode(StrEnum):
    OK = "ok"
    EXISTS = "exists"
    EXISTS_WITH_DIFFERENT_FIELDS = "exists_with_different_fields"
    ID_MUST_NOT_BE_ZERO = "id_must_not_be_zero"
    FLAGS_ARE_MUTUALLY_EXCLUSIVE = "flags_are_mutually_exclusive"
    BALANCES_MUST_BE_ZERO = "balances_must_be_zero"
    ACCOUNTS_MUST_BE_DIFFERENT = "accounts_must_be_different"
    AMOUNT_MUST_BE_POSITIVE = "amount_must_be_positive"
    TIMEOUT_RESERVED_FOR_PENDING_TRANSFER = "timeout_reserved_for_pending_transfer"
    TIMEOUT_MUST_NOT_BE_NEGATIVE = "timeout_must_not_be_negative"
    PENDING_ID_MUST_BE_ZERO = "pending_id_must_be_zero"
    PENDING_ID_MUST_NOT_BE_ZERO = "pending_id_must_not_be_zero"
    PENDING_ID_MUST_BE_DIFFERENT = "pending_id_must_be_different"
    DEBIT_ACCOUNT_NOT_FOUND = "debit_account_not_found"
    CREDIT_ACCOUNT_NOT_FOUND = "credit_account_not_found"
    PENDING_TRANSFER_NOT_FOUND = "pending_transfer_not_found"
    PENDING_TRANSFER_NOT_PENDING = "pending_transfer_not_pending"
    PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS = "pending_transfer_has_different_accounts"
    PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT = "pending_transfer_has_different_amount"
    PENDING_TRANSFER_ALREADY_POSTED = "pending_transfer_already_posted"
    PENDING_TRANSFER_ALREADY_VOIDED = "pending_transfer_already_voided"
    PENDING_TRANSFER_EXPIRED = "pending_transfer_expired"
    EXCEEDS_PENDING_TRANSFER_AMOUNT = "exceeds_pending_transfer_amount"
    EXCEEDS_CREDITS = "exceeds_credits"
    EXCEEDS_DEBITS = "exceeds_debits"


@dataclass(frozen=True)
class Result:
    """The answer to one create_account / create_transfer; `fields` names what differed."""

    code: ResultCode
    fields: tuple[str, ...] = ()

    @property
    def accepted(self) -> bool:
        """The transfer is in the ledger: just now, or by an earlier identical request."""
        return self.code in (ResultCode.OK, ResultCode.EXISTS)


def differing_fields(stored: object, submitted: object, names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if getattr(stored, n) != getattr(submitted, n))


def compare_with_stored(stored: object, submitted: object, names: tuple[str, ...]) -> Result:
    """Idempotency: a repeat is harmless only if it asks for exactly the same thing."""
    differing = differing_fields(stored, submitted, names)
    if differing:
        return Result(ResultCode.EXISTS_WITH_DIFFERENT_FIELDS, differing)
    return Result(ResultCode.EXISTS)
