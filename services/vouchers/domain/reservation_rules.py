"""Rules for reserving voucher money against a deal (POST /vouchers/{id}/reservations).

The voucher account refuses to be over-reserved by itself; the share cap per deal is only
checked here, so the service takes the voucher account's row lock before summing what
the voucher already committed to the deal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from services.vouchers.domain.errors import FieldError, StateConflict
from services.vouchers.domain.program_rules import FULL_SHARE_BP, amount_errors
from services.vouchers.domain.terms import (
    Deal,
    DealStatus,
    ProgramTerms,
    Provider,
    Reservation,
    ReservationState,
)

DEFAULT_RESERVATION_TIMEOUT = timedelta(days=30)
# Anything shorter could not be expressed as a ledger timeout (whole seconds, 0 = never).
SHORTEST_HOLD = timedelta(seconds=1)

# A signed contract exists and the deal is still going; registered deals may be paid at once.
RESERVABLE_DEAL_STATES = frozenset(
    {DealStatus.SIGNED, DealStatus.EXPERT_REVIEW, DealStatus.REGISTERED}
)


def ensure_deal_reservable(deal: Deal | None, deal_id: UUID) -> Deal:
    """The deal, if vouchers may be reserved against it now; else a retryable conflict."""
    if deal is None:
        # Not seen yet: its deal.signed event may still be on its way.
        raise StateConflict(f"deal {deal_id}", "unknown", "deal_not_signed")
    if deal.status not in RESERVABLE_DEAL_STATES:
        raise StateConflict(f"deal {deal_id}", deal.status, "deal_not_signed")
    return deal


def max_share_fen(program: ProgramTerms, tech_amount_fen: int) -> int:
    # Rounded down: a voucher never pays a fen more than the program's share allows.
    return program.max_share_bp * tech_amount_fen // FULL_SHARE_BP


def committed_to_deal(reservations: Iterable[Reservation], deal_id: UUID) -> int:
    """What a voucher has already put into a deal: held amounts plus redeemed amounts."""
    committed = 0
    for r in reservations:
        if r.deal_id != deal_id:
            continue
        if r.state == ReservationState.PENDING:
            committed += r.amount_fen
        elif r.state == ReservationState.REDEEMED:
            committed += r.redeemed_fen
    return committed


def reservation_expires_at(
    now: datetime, redeem_by: datetime, timeout: timedelta = DEFAULT_RESERVATION_TIMEOUT
) -> datetime:
    """A hold never outlives the program's redeem-by date."""
    return min(now + timeout, redeem_by)


def check_reservation(
    program: ProgramTerms,
    deal: Deal,
    provider: Provider,
    *,
    enterprise_org_id: UUID,
    amount_fen: int,
    voucher_available_fen: int,
    committed_to_deal_fen: int,
    now: datetime,
) -> list[FieldError]:
    errors = [
        *_provider_errors(program, deal, provider),
        *_deal_errors(program, deal, enterprise_org_id),
        *_time_errors(program, now),
    ]
    amount = amount_errors("amount_fen", amount_fen)
    if amount:
        return errors + amount
    if amount_fen > voucher_available_fen:
        message = f"the voucher has only {voucher_available_fen} fen available"
        errors.append(FieldError("amount_fen", "over_available", message))
    share = max_share_fen(program, deal.tech_amount_fen)
    if committed_to_deal_fen + amount_fen > share:
        left = max(share - committed_to_deal_fen, 0)
        message = f"the program pays at most {share} fen of this contract; {left} fen left"
        errors.append(FieldError("amount_fen", "over_max_share", message))
    return errors


def _provider_errors(program: ProgramTerms, deal: Deal, provider: Provider) -> list[FieldError]:
    errors = []
    if provider.region not in program.recognized_regions:
        message = f"providers of {provider.region} are not recognised by this program"
        errors.append(FieldError("provider_org_id", "provider_region_not_recognised", message))
    catalog = program.provider_catalog
    if catalog is not None and provider.org_id not in catalog:
        message = "the provider is not in the program's catalogue"
        errors.append(FieldError("provider_org_id", "provider_not_in_catalog", message))
    if provider.org_id != deal.seller_org_id:
        message = "vouchers pay the deal's seller, the one providing the technology"
        errors.append(FieldError("provider_org_id", "provider_not_deal_seller", message))
    return errors


def _deal_errors(program: ProgramTerms, deal: Deal, enterprise_org_id: UUID) -> list[FieldError]:
    errors = []
    if deal.contract_type not in program.eligible_contract_types:
        message = f"{deal.contract_type} contracts are not eligible in this program"
        errors.append(FieldError("deal_id", "contract_type_not_eligible", message))
    if deal.buyer_org_id != enterprise_org_id:
        message = "a voucher pays only for deals its enterprise buys in"
        errors.append(FieldError("deal_id", "enterprise_not_deal_buyer", message))
    return errors


def _time_errors(program: ProgramTerms, now: datetime) -> list[FieldError]:
    if now >= program.use_by:
        return [FieldError("voucher_id", "after_use_by", "the voucher's use-by date has passed")]
    if program.redeem_by - now < SHORTEST_HOLD:
        message = "too close to the redeem-by date for a reservation to be redeemed"
        return [FieldError("voucher_id", "redeem_by_too_close", message)]
    return []
