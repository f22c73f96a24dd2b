"""invariants() finds every kind of damage in a ledger's accounts and transfers."""

from __future__ import annotations

from dataclasses import replace

from tests.support.vouchers.ledger_helpers import (
    T0,
    at,
    funded_ledger,
    hold,
    post,
    transfer,
    uid,
    void,
)
from tests.support.vouchers.reference_invariants import (
    BALANCE_EQUALS_TRANSFERS,
    DEBITS_EQUAL_CREDITS,
    NO_NEGATIVE_BALANCE,
    NO_OVERDRAFT,
    RESOLUTION_MATCHES_PENDING,
    RESOLVED_AT_MOST_ONCE,
    LedgerSnapshot,
    invariants,
)
from tests.support.vouchers.reference_ledger import Ledger


def busy_ledger() -> Ledger:
    ledger = funded_ledger(100)
    first, second = hold(1, 2, 3, 40), hold(2, 2, 3, 30)
    for t in (first, second, post(3, first, 25), void(4, second), transfer(5, 2, 3, 10)):
        assert ledger.create_transfer(t, T0).accepted
    return ledger


def snapshot(ledger: Ledger) -> LedgerSnapshot:
    return LedgerSnapshot(tuple(ledger.accounts()), tuple(ledger.transfers()))


def with_account(snap: LedgerSnapshot, n: int, **counters: int) -> LedgerSnapshot:
    accounts = tuple(replace(a, **counters) if a.id == uid(n) else a for a in snap.account_rows)
    return replace(snap, account_rows=accounts)


def kinds(snap: LedgerSnapshot) -> set[str]:
    return {v.invariant for v in invariants(snap)}


def test_a_ledger_built_by_transfers_has_no_violations():
    assert invariants(busy_ledger()) == []


def test_one_sided_change_breaks_debits_equal_credits():
    snap = with_account(snapshot(busy_ledger()), 3, credits_posted=999)
    assert DEBITS_EQUAL_CREDITS in kinds(snap)
    assert BALANCE_EQUALS_TRANSFERS in kinds(snap)


def test_counter_that_disagrees_with_transfers_is_reported_with_its_account():
    ledger = busy_ledger()
    source = ledger.account(uid(1))
    assert source is not None
    # Move 5 fen between two accounts' counters: totals still balance, history does not.
    snap = with_account(snapshot(ledger), 1, debits_posted=source.debits_posted + 5)
    snap = with_account(snap, 3, credits_posted=snap.account_rows[2].credits_posted + 5)
    found = invariants(snap)
    assert {v.invariant for v in found} == {BALANCE_EQUALS_TRANSFERS}
    assert {v.subject for v in found} == {str(uid(1)), str(uid(3))}


def test_overdrawn_limited_account_is_reported_pending_included():
    ledger = funded_ledger(100)
    snap = with_account(snapshot(ledger), 2, debits_pending=101)
    found = [v for v in invariants(snap) if v.invariant == NO_OVERDRAFT]
    assert [v.subject for v in found] == [str(uid(2))]


def test_negative_counter_is_reported():
    snap = with_account(snapshot(funded_ledger(100)), 3, debits_pending=-1)
    assert NO_NEGATIVE_BALANCE in kinds(snap)


def test_double_resolution_is_reported():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 40)
    ledger.create_transfer(pending, T0)
    ledger.create_transfer(post(2, pending, 40), T0)
    snap = snapshot(ledger)
    snap = replace(snap, transfer_rows=(*snap.transfer_rows, void(3, pending)))
    found = [v for v in invariants(snap) if v.invariant == RESOLVED_AT_MOST_ONCE]
    assert [v.subject for v in found] == [str(pending.id)]


def test_resolution_that_does_not_match_its_pending_is_reported():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 40)
    ledger.create_transfer(pending, T0)
    snap = snapshot(ledger)
    bad = (
        post(2, pending, 41),  # more than held
        post(3, transfer(9, 2, 3, 1), 1),  # resolves a transfer that does not exist
        replace(post(4, pending, 1), credit_account_id=uid(1)),  # between other accounts
        replace(void(5, pending), amount=39),  # a void that does not release the whole hold
    )
    for broken in bad:
        found = invariants(replace(snap, transfer_rows=(*snap.transfer_rows, broken)))
        subjects = {v.subject for v in found if v.invariant == RESOLUTION_MATCHES_PENDING}
        assert subjects == {str(broken.id)}


def test_transfer_to_an_unknown_account_is_reported():
    snap = snapshot(funded_ledger(100))
    snap = replace(snap, transfer_rows=(*snap.transfer_rows, transfer(5, 2, 42, 1)))
    subjects = {v.subject for v in invariants(snap) if v.invariant == BALANCE_EQUALS_TRANSFERS}
    assert str(uid(42)) in subjects


def test_post_after_the_hold_expired_is_reported():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 40, timeout=60)
    ledger.create_transfer(pending, T0)
    snap = snapshot(ledger)
    on_time = replace(post(2, pending, 40), timestamp=at(59))
    too_late = replace(post(2, pending, 40), timestamp=at(60))
    assert RESOLUTION_MATCHES_PENDING not in kinds(
        replace(snap, transfer_rows=(*snap.transfer_rows, on_time))
    )
    assert RESOLUTION_MATCHES_PENDING in kinds(
        replace(snap, transfer_rows=(*snap.transfer_rows, too_late))
    )
