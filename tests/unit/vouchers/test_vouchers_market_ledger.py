"""The voucher market's movements on the ledger, and the balances the API derives."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from services.vouchers.domain import (
    ResultCode,
    TransferCode,
    VoucherBalances,
    program_balances,
    settlement,
    voucher_balances,
)
from services.vouchers.domain import layout as accounts
from services.vouchers.domain import movements as move
from tests.support.vouchers.ledger_helpers import T0, at
from tests.support.vouchers.reference_invariants import invariants
from tests.support.vouchers.reference_ledger import Ledger, total

REGION = "BJ"
PROGRAM = UUID(int=7)
PROVIDER = UUID(int=8)


def open_program(budget_fen: int = 1_000_000) -> Ledger:
    ledger = Ledger()
    for account in (
        accounts.treasury_account(REGION),
        accounts.budget_account(PROGRAM, REGION),
        *accounts.provider_accounts(REGION, PROVIDER),
    ):
        assert ledger.create_account(account).code == ResultCode.OK
    assert ledger.create_transfer(move.program_funding(PROGRAM, REGION, budget_fen), T0).accepted
    return ledger


def issue(ledger: Ledger, amount_fen: int) -> tuple[move.VoucherRef, ResultCode]:
    voucher = move.VoucherRef(uuid4(), PROGRAM, REGION)
    ledger.create_account(accounts.voucher_account(voucher.voucher_id, PROGRAM, REGION))
    return voucher, ledger.create_transfer(move.voucher_issue(voucher, amount_fen), T0).code


def reserve(ledger: Ledger, voucher: move.VoucherRef, amount_fen: int, timeout: int = 3600):
    ref = move.ReservationRef(uuid4(), deal_id=UUID(int=9), provider_org_id=PROVIDER)
    hold = move.reservation_hold(voucher, ref, amount_fen, timeout)
    return hold, ledger.create_transfer(hold, T0).code


def balances_of(ledger: Ledger, voucher: move.VoucherRef):
    account = ledger.account(accounts.voucher_account_id(voucher.voucher_id))
    assert account is not None
    expired = total(ledger.transfers(), TransferCode.VOUCHER_EXPIRY, voucher_id=voucher.voucher_id)
    return voucher_balances(account, expired)


def program_of(ledger: Ledger):
    budget = ledger.account(accounts.budget_account_id(PROGRAM))
    assert budget is not None
    redeemed = total(ledger.transfers(), TransferCode.REDEMPTION, program_id=PROGRAM)
    return program_balances(budget, redeemed)


def owed(ledger: Ledger):
    payable = ledger.account(accounts.payable_account_id(REGION, PROVIDER))
    assert payable is not None
    return settlement(payable)


def test_budget_cannot_be_over_issued():
    ledger = open_program(1_000_000)
    _, first = issue(ledger, 700_000)
    _, second = issue(ledger, 300_001)
    assert (first, second) == (ResultCode.OK, ResultCode.EXCEEDS_CREDITS)
    assert program_of(ledger).available_fen == 300_000
    assert program_of(ledger).issued_fen == 700_000


def test_voucher_cannot_be_over_reserved():
    ledger = open_program()
    voucher, _ = issue(ledger, 100_000)
    _, first = reserve(ledger, voucher, 60_000)
    _, second = reserve(ledger, voucher, 40_001)
    assert (first, second) == (ResultCode.OK, ResultCode.EXCEEDS_CREDITS)
    assert balances_of(ledger, voucher).available_fen == 40_000


def test_two_hundred_reservations_on_one_voucher_pay_exactly_what_it_holds():
    ledger = open_program()
    voucher, _ = issue(ledger, 150_500)
    codes = [reserve(ledger, voucher, 1_000)[1] for _ in range(200)]
    assert codes.count(ResultCode.OK) == 150
    assert set(codes) == {ResultCode.OK, ResultCode.EXCEEDS_CREDITS}
    assert balances_of(ledger, voucher).reserved_fen == 150_000
    assert owed(ledger).reserved_fen == 150_000


def test_whole_voucher_life_keeps_every_balance_consistent():
    ledger = open_program(1_000_000)
    voucher, _ = issue(ledger, 300_000)
    redeemed_hold, _ = reserve(ledger, voucher, 200_000)
    released_hold, _ = reserve(ledger, voucher, 50_000)
    assert ledger.create_transfer(move.redemption(redeemed_hold, 150_000), at(60)).accepted
    assert ledger.create_transfer(move.release(released_hold), at(60)).accepted
    # 50,000 of the partly redeemed hold and the whole released hold came back.
    assert balances_of(ledger, voucher) == VoucherBalances(150_000, 0, 150_000, 0)

    left = balances_of(ledger, voucher).available_fen
    assert ledger.create_transfer(move.voucher_expiry(voucher, left), at(90)).accepted
    final = balances_of(ledger, voucher)
    assert (final.available_fen, final.redeemed_fen, final.expired_fen) == (0, 150_000, 150_000)
    assert final.issued_fen == 300_000
    assert program_of(ledger).available_fen == 1_000_000 - 300_000 + 150_000
    assert program_of(ledger).redeemed_fen == 150_000
    assert invariants(ledger) == []


def test_settlement_pays_what_is_owed_and_never_more():
    ledger = open_program()
    voucher, _ = issue(ledger, 100_000)
    hold, _ = reserve(ledger, voucher, 80_000)
    ledger.create_transfer(move.redemption(hold, 80_000), T0)
    assert owed(ledger).owed_fen == 80_000
    payment = move.settlement_payment(REGION, PROVIDER, 80_000, paid_before_fen=0)
    assert ledger.create_transfer(payment, T0).code == ResultCode.OK
    assert (owed(ledger).owed_fen, owed(ledger).paid_fen) == (0, 80_000)
    again = move.settlement_payment(REGION, PROVIDER, 1, paid_before_fen=80_000)
    assert ledger.create_transfer(again, T0).code == ResultCode.EXCEEDS_CREDITS


def test_reserved_but_unredeemed_money_cannot_be_settled():
    ledger = open_program()
    voucher, _ = issue(ledger, 100_000)
    reserve(ledger, voucher, 80_000)
    payment = move.settlement_payment(REGION, PROVIDER, 1, paid_before_fen=0)
    assert ledger.create_transfer(payment, T0).code == ResultCode.EXCEEDS_CREDITS


def test_two_operators_paying_the_same_debt_pay_once():
    ledger = open_program()
    voucher, _ = issue(ledger, 100_000)
    hold, _ = reserve(ledger, voucher, 80_000)
    ledger.create_transfer(move.redemption(hold, 80_000), T0)
    first = move.settlement_payment(REGION, PROVIDER, 80_000, paid_before_fen=0)
    second = move.settlement_payment(REGION, PROVIDER, 80_000, paid_before_fen=0)
    assert ledger.create_transfer(first, T0).code == ResultCode.OK
    assert ledger.create_transfer(second, T0).code == ResultCode.EXISTS
    assert owed(ledger).paid_fen == 80_000


def test_a_reservation_is_either_redeemed_or_released_never_both():
    ledger = open_program()
    voucher, _ = issue(ledger, 100_000)
    hold, _ = reserve(ledger, voucher, 80_000)
    assert ledger.create_transfer(move.release(hold), T0).code == ResultCode.OK
    late = ledger.create_transfer(move.redemption(hold, 80_000), T0)
    assert late.code == ResultCode.PENDING_TRANSFER_ALREADY_VOIDED
    assert ledger.create_transfer(move.release(hold), T0).code == ResultCode.EXISTS


def test_replayed_movements_are_recognised():
    ledger = open_program()
    voucher, _ = issue(ledger, 100_000)
    assert ledger.create_transfer(move.voucher_issue(voucher, 100_000), T0).code == "exists"
    bigger = ledger.create_transfer(move.voucher_issue(voucher, 100_001), T0)
    assert (bigger.code, bigger.fields) == (ResultCode.EXISTS_WITH_DIFFERENT_FIELDS, ("amount",))
    funding = ledger.create_transfer(move.program_funding(PROGRAM, REGION, 1_000_000), T0)
    assert funding.code == ResultCode.EXISTS


def test_timed_out_reservation_cannot_be_redeemed_and_is_released():
    ledger = open_program()
    voucher, _ = issue(ledger, 100_000)
    hold, _ = reserve(ledger, voucher, 80_000, timeout=30)
    late = ledger.create_transfer(move.redemption(hold, 80_000), at(30))
    assert late.code == ResultCode.PENDING_TRANSFER_EXPIRED
    assert ledger.create_transfer(move.release(hold), at(31)).code == ResultCode.OK
    assert balances_of(ledger, voucher).available_fen == 100_000


def test_account_ids_are_stable_and_distinct():
    assert accounts.voucher_account_id(PROGRAM) == accounts.voucher_account_id(UUID(int=7))
    ids = {
        accounts.treasury_account_id(REGION),
        accounts.budget_account_id(PROGRAM),
        accounts.voucher_account_id(PROGRAM),
        accounts.payable_account_id(REGION, PROVIDER),
        accounts.paid_account_id(REGION, PROVIDER),
    }
    assert len(ids) == 5


def test_hold_timeout_never_outlives_expires_at():
    assert move.timeout_seconds(T0, T0 + timedelta(seconds=90.9)) == 90
    with pytest.raises(ValueError):
        move.timeout_seconds(T0, T0 + timedelta(milliseconds=999))
