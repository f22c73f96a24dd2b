"""Random sequences of ledger operations never break an invariant.

Transfer ids are drawn from a small pool so retries (same and changed fields), double
resolutions and overdrafts all happen often.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from services.vouchers.domain import Account, AccountFlags, ResultCode, Transfer, TransferFlags
from tests.support.vouchers.ledger_helpers import LIMITED, SOURCE, T0, transfer, uid
from tests.support.vouchers.reference_invariants import invariants
from tests.support.vouchers.reference_ledger import Ledger

ACCOUNTS = st.integers(min_value=1, max_value=5)
IDS = st.integers(min_value=1, max_value=25)
RESOLUTION_IDS = st.integers(min_value=101, max_value=115)
AMOUNTS = st.integers(min_value=-1, max_value=120)
TIMEOUTS = st.integers(min_value=0, max_value=10)
KINDS = st.sampled_from([TransferFlags.NONE, TransferFlags.PENDING])


class LedgerMachine(RuleBasedStateMachine):
    @initialize(
        flags=st.lists(
            st.sampled_from([AccountFlags.NONE, LIMITED, SOURCE]), min_size=5, max_size=5
        )
    )
    def open_accounts(self, flags: list[AccountFlags]) -> None:
        self.ledger = Ledger()
        self.now = T0
        for n, flag in enumerate(flags, start=1):
            assert self.ledger.create_account(Account(id=uid(n), code=n, flags=flag)).accepted

    def submit(self, t: Transfer) -> ResultCode:
        before = (self.ledger.accounts(), self.ledger.transfers())
        result = self.ledger.create_transfer(t, self.now)
        after = (self.ledger.accounts(), self.ledger.transfers())
        if result.code == ResultCode.OK:
            assert len(after[1]) == len(before[1]) + 1
        else:
            assert after == before, f"{result.code} changed the ledger"
        return result.code

    @rule(n=IDS, debit=ACCOUNTS, credit=ACCOUNTS, amount=AMOUNTS, kind=KINDS, timeout=TIMEOUTS)
    def move(self, n, debit, credit, amount, kind, timeout) -> None:
        t = transfer(n, debit, credit, amount, kind, timeout=timeout if kind else 0)
        known = self.ledger.transfer(t.id) is not None
        code = self.submit(t)
        if not known and code == ResultCode.EXCEEDS_CREDITS:
            self.assert_really_exceeds(t)

    def assert_really_exceeds(self, t: Transfer) -> None:
        a = self.ledger.account(t.debit_account_id)
        assert a is not None and a.flags & LIMITED
        assert a.debits_pending + a.debits_posted + t.amount > a.credits_posted

    @rule(n=RESOLUTION_IDS, data=st.data(), post=st.booleans())
    def resolve(self, n, data, post) -> None:
        holds = [t for t in self.ledger.transfers() if t.is_pending]
        if not holds:
            return
        pending = data.draw(st.sampled_from(holds))
        flags = TransferFlags.POST_PENDING if post else TransferFlags.VOID_PENDING
        # Mostly valid amounts, sometimes one fen too many or a non-positive one.
        amount = data.draw(st.integers(-1, pending.amount + 1)) if post else pending.amount
        t = Transfer(
            id=uid(n),
            debit_account_id=pending.debit_account_id,
            credit_account_id=pending.credit_account_id,
            amount=amount,
            code=pending.code,
            flags=flags,
            pending_id=pending.id,
        )
        self.submit(t)

    @rule(n=st.one_of(IDS, RESOLUTION_IDS))
    def retry_unchanged(self, n) -> None:
        stored = self.ledger.transfer(uid(n))
        if stored is not None:
            assert self.submit(stored) == ResultCode.EXISTS

    @rule(n=st.one_of(IDS, RESOLUTION_IDS), extra=st.integers(min_value=1, max_value=5))
    def retry_changed(self, n, extra) -> None:
        stored = self.ledger.transfer(uid(n))
        if stored is not None:
            changed = Transfer(**{**stored.__dict__, "amount": stored.amount + extra})
            assert self.submit(changed) == ResultCode.EXISTS_WITH_DIFFERENT_FIELDS

    @rule(seconds=st.integers(min_value=0, max_value=15))
    def wait(self, seconds) -> None:
        self.now += timedelta(seconds=seconds)

    @invariant()
    def ledger_is_sound(self) -> None:
        assert invariants(self.ledger) == []


LedgerMachine.TestCase.settings = settings(
    max_examples=150,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedgerProperties = LedgerMachine.TestCase
