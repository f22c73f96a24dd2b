from dataclasses import replace
from datetime import date

import pytest

from services.deals.domain import Deduction, FailureCode
from services.deals.domain.rules import check_dates, check_price


def _found(failures):
    return [(f.code, f.field) for f in failures]


def test_a_positive_total_with_listed_deductions_is_a_clear_price(contract, context):
    assert check_price(contract, context) == []


@pytest.mark.parametrize("total", [0, -100])
def test_a_total_that_is_not_positive_is_an_unclear_price(contract, context, total):
    failures = check_price(replace(contract, total_fen=total, deductions=()), context)
    assert _found(failures) == [(FailureCode.UNCLEAR_PRICE, "total_fen")]


def test_deductions_above_the_total_are_an_unclear_price(contract, context):
    steel = Deduction("钢材", "raw_materials", 1_001)
    over = replace(contract, total_fen=1_000, deductions=(steel,))
    assert _found(check_price(over, context)) == [(FailureCode.UNCLEAR_PRICE, "deductions")]


def test_deductions_equal_to_the_total_leave_a_zero_tech_amount_and_pass(contract, context):
    steel = Deduction("钢材", "raw_materials", 1_000)
    even = replace(contract, total_fen=1_000, deductions=(steel,))
    assert check_price(even, context) == []


def test_a_negative_deduction_is_an_unclear_price(contract, context):
    negative = replace(contract, deductions=(Deduction("钢材", "raw_materials", -1),))
    assert _found(check_price(negative, context)) == [
        (FailureCode.UNCLEAR_PRICE, "deductions[0].amount_fen")]


def test_an_unnamed_deduction_is_an_unclear_price(contract, context):
    unnamed = replace(contract, deductions=(Deduction("", "parts", 10),))
    assert _found(check_price(unnamed, context)) == [
        (FailureCode.UNCLEAR_PRICE, "deductions[0].item")]


def test_a_contract_in_force_on_the_registration_day_passes(contract, context):
    assert check_dates(contract, context) == []


def test_a_contract_ending_on_the_registration_day_is_still_in_force(contract, context):
    assert check_dates(replace(contract, valid_until=context.today), context) == []


def test_validity_that_ends_before_it_starts_is_not_in_force(contract, context):
    backwards = replace(contract, valid_from=date(2027, 6, 1), valid_until=date(2027, 5, 31))
    assert _found(check_dates(backwards, context)) == [(FailureCode.NOT_IN_FORCE, "valid_from")]


def test_a_contract_signed_on_the_registration_day_is_in_force(contract, context):
    same_day = replace(contract, signed_on=context.today, valid_from=context.today)
    assert check_dates(same_day, context) == []


def test_a_contract_signed_after_today_is_not_in_force(contract, context):
    future = replace(contract, signed_on=date(2026, 4, 2), valid_from=date(2026, 4, 2))
    assert _found(check_dates(future, context)) == [(FailureCode.NOT_IN_FORCE, "signed_on")]


def test_a_contract_signed_after_it_ended_is_not_in_force(contract, context):
    late = replace(contract, signed_on=date(2026, 3, 20),
                   valid_from=date(2026, 3, 1), valid_until=date(2026, 3, 15))
    assert (FailureCode.NOT_IN_FORCE, "signed_on") in _found(check_dates(late, context))


def test_an_expired_contract_is_not_in_force(contract, context):
    expired = replace(contract, valid_until=date(2026, 3, 31))
    assert _found(check_dates(expired, context)) == [(FailureCode.NOT_IN_FORCE, "valid_until")]
