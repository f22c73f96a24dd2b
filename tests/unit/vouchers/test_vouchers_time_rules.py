"""The rules about time the service adds: opening a program, money handed back after use-by."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from services.vouchers.domain.program_rules import check_opening_time
from services.vouchers.domain.redemption_rules import released_money_expires
from tests.support.vouchers.rules_helpers import NOW, PROGRAM


def test_a_program_usable_in_the_future_opens() -> None:
    assert check_opening_time(PROGRAM, NOW) == []


def test_a_program_whose_use_by_passed_is_refused() -> None:
    errors = check_opening_time(replace(PROGRAM, use_by=NOW), NOW)
    assert [(e.field, e.code) for e in errors] == [("use_by", "in_the_past")]


def test_a_naive_use_by_is_left_to_the_timezone_rule() -> None:
    naive = replace(PROGRAM, use_by=PROGRAM.use_by.replace(tzinfo=None))
    assert check_opening_time(naive, NOW) == []


def test_money_handed_back_before_use_by_stays_on_the_voucher() -> None:
    assert not released_money_expires(PROGRAM, PROGRAM.use_by - timedelta(seconds=1), False)


def test_money_handed_back_at_or_after_use_by_goes_to_the_budget() -> None:
    assert released_money_expires(PROGRAM, PROGRAM.use_by, False)
    assert released_money_expires(PROGRAM, PROGRAM.use_by + timedelta(days=1), False)


def test_a_swept_voucher_gives_back_whatever_the_clock_says() -> None:
    # The sweep may have run on a clock a moment ahead of the releasing transaction's.
    assert released_money_expires(PROGRAM, PROGRAM.use_by - timedelta(seconds=1), True)
