"""Reserving, redeeming and releasing: every reason an enterprise can be refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

import pytest

from services.vouchers.domain.errors import StateConflict
from services.vouchers.domain.redemption_rules import (
    check_redemption,
    ensure_redeemable,
    ensure_releasable,
)
from services.vouchers.domain.reservation_rules import (
    check_reservation,
    committed_to_deal,
    ensure_deal_reservable,
    max_share_fen,
    reservation_expires_at,
)
from services.vouchers.domain.terms import DealStatus, Reservation, ReservationState
from tests.support.vouchers.rules_helpers import (
    DEAL,
    ENTERPRISE,
    LAB,
    NOW,
    PROGRAM,
    PROVIDER,
    codes,
)


def reservation(
    amount_fen=100_000,
    program=PROGRAM,
    deal=DEAL,
    provider=LAB,
    available=300_000,
    committed=0,
    now=NOW,
):
    errors = check_reservation(
        program,
        deal,
        provider,
        enterprise_org_id=ENTERPRISE,
        amount_fen=amount_fen,
        voucher_available_fen=available,
        committed_to_deal_fen=committed,
        now=now,
    )
    return codes(errors)


def test_valid_reservation_passes():
    assert reservation() == set()
    assert reservation(amount_fen=200_000, available=200_000) == set()  # all of it, 50 % share


def test_provider_reasons():
    unrecognised = replace(PROGRAM, recognized_regions=("HE", "TJ"))
    listed = replace(PROGRAM, provider_catalog=(UUID(int=99),))
    assert reservation(program=unrecognised) == {
        ("provider_org_id", "provider_region_not_recognised")
    }
    assert reservation(program=listed) == {("provider_org_id", "provider_not_in_catalog")}
    assert reservation(program=replace(PROGRAM, provider_catalog=(PROVIDER,))) == set()
    stranger = replace(LAB, org_id=UUID(int=77))
    assert reservation(provider=stranger) == {("provider_org_id", "provider_not_deal_seller")}


def test_deal_reasons():
    consulting = replace(DEAL, contract_type="consulting")
    others = replace(DEAL, buyer_org_id=UUID(int=55))
    assert reservation(deal=consulting) == {("deal_id", "contract_type_not_eligible")}
    assert reservation(deal=others) == {("deal_id", "enterprise_not_deal_buyer")}


def test_amount_reasons():
    assert reservation(amount_fen=0) == {("amount_fen", "must_be_positive")}
    assert reservation(available=99_999) == {("amount_fen", "over_available")}
    assert reservation(amount_fen=200_001) == {("amount_fen", "over_max_share")}


def test_max_share_counts_what_the_voucher_already_put_into_the_deal():
    assert reservation(amount_fen=50_000, committed=150_000) == set()
    assert reservation(amount_fen=50_001, committed=150_000) == {("amount_fen", "over_max_share")}


def test_max_share_rounds_down():
    odd = replace(PROGRAM, max_share_bp=3_333)
    assert max_share_fen(odd, 100) == 33
    assert max_share_fen(odd, 400_000) == 133_320


def test_committed_counts_held_and_redeemed_money_not_released_money():
    def held(state, amount, redeemed=0, deal=DEAL.deal_id):
        return Reservation(UUID(int=amount), UUID(int=1), deal, amount, state, NOW, redeemed)

    reservations = [
        held(ReservationState.PENDING, 10_000),
        held(ReservationState.REDEEMED, 20_000, redeemed=15_000),
        held(ReservationState.RELEASED, 40_000),
        held(ReservationState.PENDING, 80_000, deal=UUID(int=4)),
    ]
    assert committed_to_deal(reservations, DEAL.deal_id) == 25_000


def test_time_reasons():
    assert reservation(now=PROGRAM.use_by) == {("voucher_id", "after_use_by")}
    squeezed = replace(PROGRAM, redeem_by=PROGRAM.use_by)
    almost = PROGRAM.use_by - timedelta(milliseconds=500)
    assert reservation(program=squeezed, now=almost) == {("voucher_id", "redeem_by_too_close")}


def test_deal_must_be_signed_and_open():
    assert ensure_deal_reservable(DEAL, DEAL.deal_id) == DEAL
    registered = replace(DEAL, status=DealStatus.REGISTERED)
    assert ensure_deal_reservable(registered, DEAL.deal_id) == registered
    with pytest.raises(StateConflict) as unseen:
        ensure_deal_reservable(None, DEAL.deal_id)
    assert (unseen.value.code, unseen.value.state) == ("deal_not_signed", "unknown")
    for status in (DealStatus.TERMINATED, DealStatus.COMPLETED, DealStatus.NEGOTIATING):
        with pytest.raises(StateConflict) as closed:
            ensure_deal_reservable(replace(DEAL, status=status), DEAL.deal_id)
        assert closed.value.state == status


def test_expires_at_defaults_to_thirty_days_but_never_after_redeem_by():
    assert reservation_expires_at(NOW, PROGRAM.redeem_by) == NOW + timedelta(days=30)
    late = PROGRAM.redeem_by - timedelta(days=2)
    assert reservation_expires_at(late, PROGRAM.redeem_by) == PROGRAM.redeem_by
    short = reservation_expires_at(NOW, PROGRAM.redeem_by, timedelta(hours=1))
    assert short == NOW + timedelta(hours=1)


HELD = Reservation(
    reservation_id=UUID(int=10),
    voucher_id=UUID(int=11),
    deal_id=DEAL.deal_id,
    amount_fen=100_000,
    state=ReservationState.PENDING,
    expires_at=NOW + timedelta(days=30),
)
REGISTERED = replace(DEAL, status=DealStatus.REGISTERED)


def test_redemption_of_a_registered_deal_passes_partial_included():
    ensure_redeemable(HELD, REGISTERED, NOW)
    ensure_redeemable(HELD, replace(DEAL, status=DealStatus.COMPLETED), NOW)
    assert check_redemption(PROGRAM, HELD, 100_000, NOW) == []
    assert check_redemption(PROGRAM, HELD, 1, NOW) == []


def test_redemption_amount_and_date_reasons():
    assert codes(check_redemption(PROGRAM, HELD, 100_001, NOW)) == {("amount_fen", "over_reserved")}
    assert codes(check_redemption(PROGRAM, HELD, 0, NOW)) == {("amount_fen", "must_be_positive")}
    late = codes(check_redemption(PROGRAM, HELD, 1, PROGRAM.redeem_by))
    assert late == {("amount_fen", "after_redeem_by")}


@pytest.mark.parametrize(
    ("held", "deal", "code", "state"),
    [
        (HELD, DEAL, "deal_not_registered", "signed"),
        (HELD, None, "deal_not_registered", "unknown"),
        (HELD, replace(DEAL, status=DealStatus.TERMINATED), "deal_not_registered", "terminated"),
        (
            replace(HELD, state=ReservationState.RELEASED),
            REGISTERED,
            "reservation_not_pending",
            "released",
        ),
        (
            replace(HELD, state=ReservationState.REDEEMED),
            REGISTERED,
            "reservation_not_pending",
            "redeemed",
        ),
        (replace(HELD, expires_at=NOW), REGISTERED, "reservation_expired", "expired"),
    ],
)
def test_redemption_state_conflicts(held, deal, code, state):
    with pytest.raises(StateConflict) as conflict:
        ensure_redeemable(held, deal, NOW)
    assert (conflict.value.code, conflict.value.state) == (code, state)


def test_pending_reservations_can_be_released_even_when_expired():
    ensure_releasable(HELD)
    ensure_releasable(replace(HELD, expires_at=NOW - timedelta(days=1)))
    with pytest.raises(StateConflict) as conflict:
        ensure_releasable(replace(HELD, state=ReservationState.REDEEMED))
    assert conflict.value.code == "reservation_not_pending"
