"""Random voucher-market histories keep every balance the API shows consistent."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from services.vouchers.domain import (
    ResultCode,
    Transfer,
    TransferCode,
    program_balances,
    settlement,
    spendable,
    voucher_balances,
)
from services.vouchers.domain import layout as accounts
from services.vouchers.domain import movements as move
from tests.support.vouchers.ledger_helpers import T0
from tests.support.vouchers.reference_invariants import invariants
from tests.support.vouchers.reference_ledger import Ledger, total

REGION, PROGRAM, BUDGET = "TJ", UUID(int=70), 1_000_000
PROVIDERS = (UUID(int=81), UUID(int=82))
AMOUNTS = st.integers(min_value=1, max_value=400_000)


class Market(RuleBasedStateMachine):
    @initialize()
    def open_program(self) -> None:
        self.ledger, self.now = Ledger(), T0
        self.vouchers: list[move.VoucherRef] = []
        self.holds: list[Transfer] = []
        opening = [accounts.treasury_account(REGION), accounts.budget_account(PROGRAM, REGION)]
        for provider in PROVIDERS:
            opening += accounts.provider_accounts(REGION, provider)
        for account in opening:
            assert self.ledger.create_account(account).accepted
        self.apply(move.program_funding(PROGRAM, REGION, BUDGET))

    def apply(self, transfer: Transfer) -> ResultCode:
        return self.ledger.create_transfer(transfer, self.now).code

    @rule(amount=AMOUNTS)
    def issue(self, amount) -> None:
        voucher = move.VoucherRef(uuid4(), PROGRAM, REGION)
        self.ledger.create_account(accounts.voucher_account(voucher.voucher_id, PROGRAM, REGION))
        if self.apply(move.voucher_issue(voucher, amount)) == ResultCode.OK:
            self.vouchers.append(voucher)

    @rule(data=st.data(), provider=st.sampled_from(PROVIDERS))
    def reserve(self, data, provider) -> None:
        if self.vouchers:
            voucher = data.draw(st.sampled_from(self.vouchers))
            # Around what is left, so both fitting and over-reserving happen.
            left = self.voucher_balances(voucher).available_fen
            amount = data.draw(st.integers(min_value=1, max_value=left + 1))
            ref = move.ReservationRef(uuid4(), uuid4(), provider)
            hold = move.reservation_hold(voucher, ref, amount, timeout_seconds=600)
            if self.apply(hold) == ResultCode.OK:
                self.holds.append(hold)

    @rule(data=st.data(), redeem=st.booleans())
    def resolve(self, data, redeem) -> None:
        if self.holds:
            hold = data.draw(st.sampled_from(self.holds))
            amount = data.draw(st.integers(min_value=1, max_value=hold.amount))
            self.apply(move.redemption(hold, amount) if redeem else move.release(hold))

    @rule(data=st.data())
    def expire(self, data) -> None:
        if self.vouchers:
            voucher = data.draw(st.sampled_from(self.vouchers))
            left = self.voucher_balances(voucher).available_fen
            if left:
                # A fresh key per return, as when several released reservations come back.
                assert self.apply(move.voucher_expiry(voucher, left, uuid4())) == ResultCode.OK

    @rule(provider=st.sampled_from(PROVIDERS))
    def settle(self, provider) -> None:
        payable = self.ledger.account(accounts.payable_account_id(REGION, provider))
        assert payable is not None
        owed = settlement(payable)
        if owed.owed_fen:
            payment = move.settlement_payment(REGION, provider, owed.owed_fen, owed.paid_fen)
            assert self.apply(payment) == ResultCode.OK

    @rule(minutes=st.integers(min_value=0, max_value=15))
    def wait(self, minutes) -> None:
        self.now += timedelta(minutes=minutes)

    def voucher_balances(self, voucher: move.VoucherRef):
        account = self.ledger.account(accounts.voucher_account_id(voucher.voucher_id))
        assert account is not None
        code = TransferCode.VOUCHER_EXPIRY
        return voucher_balances(
            account, total(self.ledger.transfers(), code, voucher_id=voucher.voucher_id)
        )

    @invariant()
    def ledger_is_sound(self) -> None:
        assert invariants(self.ledger) == []

    @invariant()
    def balances_add_up(self) -> None:
        transfers = self.ledger.transfers()
        issued = redeemed = expired = 0
        for voucher in self.vouchers:
            b = self.voucher_balances(voucher)
            assert min(b.available_fen, b.reserved_fen, b.redeemed_fen, b.expired_fen) >= 0
            issued, redeemed, expired = (
                issued + b.issued_fen,
                redeemed + b.redeemed_fen,
                expired + b.expired_fen,
            )
        budget = self.ledger.account(accounts.budget_account_id(PROGRAM))
        assert budget is not None
        program = program_balances(budget, total(transfers, TransferCode.REDEMPTION))
        assert program.issued_fen == issued
        assert program.redeemed_fen == redeemed
        assert program.available_fen == BUDGET - issued + expired == spendable(budget)
        earned = 0
        for provider in PROVIDERS:
            payable = self.ledger.account(accounts.payable_account_id(REGION, provider))
            assert payable is not None
            owed = settlement(payable)
            assert owed.owed_fen >= 0
            earned += owed.owed_fen + owed.paid_fen
        assert earned == redeemed


Market.TestCase.settings = settings(max_examples=200, stateful_step_count=40, deadline=None)
TestMarketProperties = Market.TestCase
