"""Each business movement of the voucher market as the ledger transfer that records it.

Transfer ids are derived from the business fact (program, voucher, reservation...), so a
retried command or a replayed event produces the very same transfer and the ledger answers
`exists` instead of moving money twice.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.vouchers.domain.layout import (
    TransferCode,
    budget_account_id,
    ledger_id,
    paid_account_id,
    payable_account_id,
    treasury_account_id,
    voucher_account_id,
)
from services.vouchers.domain.ledger_model import Transfer, TransferFlags, UserData


@dataclass(frozen=True)
class VoucherRef:
    voucher_id: UUID
    program_id: UUID
    issuer_region: str

    def user_data(self, **more: UUID) -> UserData:
        return UserData(
            program_id=self.program_id,
            voucher_id=self.voucher_id,
            region=self.issuer_region,
            **more,
        )


def program_funding(program_id: UUID, issuer_region: str, budget_fen: int) -> Transfer:
    return Transfer(
        id=ledger_id("program-funding", program_id),
        debit_account_id=treasury_account_id(issuer_region),
        credit_account_id=budget_account_id(program_id),
        amount=budget_fen,
        code=TransferCode.PROGRAM_FUNDING,
        user_data=UserData(program_id=program_id, region=issuer_region),
    )


def voucher_issue(voucher: VoucherRef, amount_fen: int) -> Transfer:
    return Transfer(
        id=ledger_id("voucher-issue", voucher.voucher_id),
        debit_account_id=budget_account_id(voucher.program_id),
        credit_account_id=voucher_account_id(voucher.voucher_id),
        amount=amount_fen,
        code=TransferCode.VOUCHER_ISSUE,
        user_data=voucher.user_data(),
    )


@dataclass(frozen=True)
class ReservationRef:
    reservation_id: UUID
    deal_id: UUID
    provider_org_id: UUID


def reservation_hold(
    voucher: VoucherRef, reservation: ReservationRef, amount_fen: int, timeout_seconds: int
) -> Transfer:
    """The pending transfer that earmarks voucher money for a provider's deal."""
    return Transfer(
        id=ledger_id("reservation", reservation.reservation_id),
        debit_account_id=voucher_account_id(voucher.voucher_id),
        credit_account_id=payable_account_id(voucher.issuer_region, reservation.provider_org_id),
        amount=amount_fen,
        code=TransferCode.RESERVATION,
        flags=TransferFlags.PENDING,
        timeout=timeout_seconds,
        user_data=voucher.user_data(
            reservation_id=reservation.reservation_id,
            deal_id=reservation.deal_id,
            provider_org_id=reservation.provider_org_id,
        ),
    )


# Part of every stored id: never rename.
_ID_PREFIX = {TransferCode.REDEMPTION: "redemption", TransferCode.RELEASE: "release"}


def redemption(hold: Transfer, amount_fen: int) -> Transfer:
    """Posts `amount_fen` of the hold; the ledger releases whatever is left of it."""
    return _resolution(hold, amount_fen, TransferCode.REDEMPTION, TransferFlags.POST_PENDING)


def release(hold: Transfer) -> Transfer:
    return _resolution(hold, hold.amount, TransferCode.RELEASE, TransferFlags.VOID_PENDING)


def _resolution(
    hold: Transfer, amount_fen: int, code: TransferCode, flags: TransferFlags
) -> Transfer:
    return Transfer(
        # Redemption and release of one hold get different ids: the ledger, not the id,
        # decides which of two racing resolutions wins.
        id=ledger_id(_ID_PREFIX[code], hold.user_data.reservation_id or hold.id),
        debit_account_id=hold.debit_account_id,
        credit_account_id=hold.credit_account_id,
        amount=amount_fen,
        code=code,
        flags=flags,
        pending_id=hold.id,
        user_data=hold.user_data,
    )


def voucher_expiry(
    voucher: VoucherRef, amount_fen: int, released_reservation_id: UUID | None = None
) -> Transfer:
    """Returns unused voucher money to its program budget.

    At use-by the sweep returns what is available then; a reservation released after
    use-by returns its amount with a second expiry keyed by that reservation.
    """
    key = ("voucher-expiry", voucher.voucher_id, released_reservation_id or "use-by")
    more = {"reservation_id": released_reservation_id} if released_reservation_id else {}
    return Transfer(
        id=ledger_id(*key),
        debit_account_id=voucher_account_id(voucher.voucher_id),
        credit_account_id=budget_account_id(voucher.program_id),
        amount=amount_fen,
        code=TransferCode.VOUCHER_EXPIRY,
        user_data=voucher.user_data(**more),
    )


def settlement_payment(
    issuer_region: str, provider_org_id: UUID, amount_fen: int, paid_before_fen: int
) -> Transfer:
    """Marks `amount_fen` paid. Keyed by what was paid before, so two operators paying the
    same debt at once produce one id and only one payment."""
    return Transfer(
        id=ledger_id("settlement", issuer_region, provider_org_id, paid_before_fen),
        debit_account_id=payable_account_id(issuer_region, provider_org_id),
        credit_account_id=paid_account_id(issuer_region, provider_org_id),
        amount=amount_fen,
        code=TransferCode.SETTLEMENT,
        user_data=UserData(provider_org_id=provider_org_id, region=issuer_region),
    )


def timeout_seconds(now: datetime, expires_at: datetime) -> int:
    """The hold's ledger timeout; rounded down so the ledger never outlives `expires_at`."""
    seconds = math.floor((expires_at - now).total_seconds())
    if seconds < 1:
        # 0 means "never expires" to the ledger: refuse rather than hold forever.
        raise ValueError("a reservation must be able to last at least one second")
    return seconds
