"""Rules for redeeming (POST /reservations/{id}/redeem) and releasing a reservation.

State problems raise StateConflict (409: retry may help, e.g. once the deal is registered);
problems with the request's amount or the program's dates come back as FieldErrors (422).
"""

from __future__ import annotations

from datetime import datetime

from services.vouchers.domain.errors import FieldError, StateConflict
from services.vouchers.domain.program_rules import amount_errors
from services.vouchers.domain.terms import (
    Deal,
    DealStatus,
    ProgramTerms,
    Reservation,
    ReservationState,
)

# Completed deals went through registration, so their vouchers are still payable.
REDEEMABLE_DEAL_STATES = frozenset({DealStatus.REGISTERED, DealStatus.COMPLETED})


def reservation_is_expired(reservation: Reservation, now: datetime) -> bool:
    return reservation.state == ReservationState.PENDING and now >= reservation.expires_at


def ensure_redeemable(reservation: Reservation, deal: Deal | None, now: datetime) -> None:
    subject = f"reservation {reservation.reservation_id}"
    if reservation.state != ReservationState.PENDING:
        raise StateConflict(subject, reservation.state, "reservation_not_pending")
    if reservation_is_expired(reservation, now):
        raise StateConflict(subject, "expired", "reservation_expired")
    deal_state = deal.status if deal is not None else "unknown"
    if deal_state not in REDEEMABLE_DEAL_STATES:
        raise StateConflict(f"deal {reservation.deal_id}", deal_state, "deal_not_registered")


def check_redemption(
    program: ProgramTerms, reservation: Reservation, amount_fen: int, now: datetime
) -> list[FieldError]:
    """`amount_fen` may be less than reserved: the remainder goes back to the voucher."""
    errors = []
    if now >= program.redeem_by:
        message = "the program's redeem-by date has passed"
        errors.append(FieldError("amount_fen", "after_redeem_by", message))
    amount = amount_errors("amount_fen", amount_fen)
    if amount:
        return errors + amount
    if amount_fen > reservation.amount_fen:
        message = f"only {reservation.amount_fen} fen are reserved"
        errors.append(FieldError("amount_fen", "over_reserved", message))
    return errors


def ensure_releasable(reservation: Reservation) -> None:
    """Pending reservations may be released, expired ones included: that is their end."""
    if reservation.state != ReservationState.PENDING:
        subject = f"reservation {reservation.reservation_id}"
        raise StateConflict(subject, reservation.state, "reservation_not_pending")


def released_money_expires(program: ProgramTerms, now: datetime, voucher_swept: bool) -> bool:
    """Money a release (or a partial redemption) hands back to a voucher after use-by goes
    straight back to the program's budget: the voucher can no longer spend it. A voucher
    the use-by sweep already emptied counts as past use-by whatever the clock said."""
    return voucher_swept or now >= program.use_by
