"""The HTTP models: strict money, dates as the end of a China day, bounded sizes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from services.vouchers.schemas import (
    PaymentIn,
    ProgramIn,
    RedeemIn,
    ReleaseIn,
    ReservationIn,
    VoucherIn,
)

PROGRAM = {"issuer_region": "HE", "name": "创新券", "year": 2026, "budget_fen": 1_000_000,
           "max_share_bp": 5_000, "cap_per_enterprise_fen": 100_000,
           "eligible_contract_types": ["consulting"], "recognized_regions": ["BJ"],
           "use_by": "2026-12-31", "redeem_by": "2027-03-31T16:00:00+08:00"}


def test_a_date_is_the_next_midnight_in_china() -> None:
    program = ProgramIn.model_validate(PROGRAM)
    assert program.use_by == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert program.redeem_by == datetime(2027, 3, 31, 8, 0, tzinfo=UTC)


def test_a_naive_time_passes_through_for_the_rules_to_refuse() -> None:
    program = ProgramIn.model_validate({**PROGRAM, "use_by": "2026-12-31T12:00:00"})
    assert program.use_by.tzinfo is None


@pytest.mark.parametrize("value", [20261231, 1.5, None, "31/12/2026", "2026-02-30", True])
def test_other_dates_are_refused(value: object) -> None:
    with pytest.raises(ValidationError) as refused:
        ProgramIn.model_validate({**PROGRAM, "use_by": value})
    assert refused.value.errors()[0]["loc"] == ("use_by",)


@pytest.mark.parametrize("amount", ["100", 100.0, 1e3, True, None, 2**60, -(2**60)])
def test_money_is_a_json_integer_in_range(amount: object) -> None:
    for model, body in ((VoucherIn, {"enterprise_org_id": str(uuid.uuid4())}),
                        (RedeemIn, {}),
                        (ReservationIn, {"deal_id": str(uuid.uuid4()),
                                         "provider_org_id": str(uuid.uuid4())})):
        with pytest.raises(ValidationError):
            model.model_validate({**body, "amount_fen": amount})


def test_negative_and_zero_amounts_are_left_to_the_rules() -> None:
    # The domain names them (must_be_positive); the schema only wants an integer.
    assert RedeemIn.model_validate({"amount_fen": 0}).amount_fen == 0
    assert RedeemIn.model_validate({"amount_fen": -5}).amount_fen == -5


@pytest.mark.parametrize("change", [
    {"surprise": 1}, {"name": "x" * 201}, {"recognized_regions": ["BJ"] * 51},
    {"eligible_contract_types": ["consulting"] * 51}, {"issuer_region": "Hebei"},
    {"provider_catalog": ["not-a-uuid"]}, {"reservation_timeout_seconds": 0},
    {"year": "2026"}, {"max_share_bp": 50.0},
])
def test_programs_are_strict_and_bounded(change: dict) -> None:
    with pytest.raises(ValidationError):
        ProgramIn.model_validate({**PROGRAM, **change})


def test_small_bodies_are_strict_too() -> None:
    with pytest.raises(ValidationError):
        ReleaseIn.model_validate({"reason": "x" * 501})
    with pytest.raises(ValidationError):
        PaymentIn.model_validate({"issuer_region": "HE", "amount_fen": 5})
    assert PaymentIn.model_validate({}).issuer_region is None
