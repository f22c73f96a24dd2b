"""The in-memory ledger: every result code and the two-phase and idempotency semantics."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.vouchers.domain import Account, ResultCode, TransferFlags
from tests.support.vouchers.ledger_helpers import (
    SOURCE,
    T0,
    at,
    counters,
    funded_ledger,
    hold,
    post,
    transfer,
    uid,
    void,
)
from tests.support.vouchers.reference_ledger import Ledger, PendingState

RC = ResultCode


def test_single_phase_transfer_moves_posted_balances():
    ledger = funded_ledger(100)
    assert ledger.create_transfer(transfer(1, 2, 3, 30), at(1)).code == RC.OK
    assert counters(ledger, 2) == (0, 30, 0, 100)
    assert counters(ledger, 3) == (0, 0, 0, 30)
    stored = ledger.transfer(uid(1))
    assert stored is not None and stored.timestamp == at(1)


def test_limited_account_cannot_be_overdrawn():
    ledger = funded_ledger(100)
    assert ledger.create_transfer(transfer(1, 2, 3, 101), T0).code == RC.EXCEEDS_CREDITS
    assert counters(ledger, 2) == (0, 0, 0, 100)
    assert ledger.transfer(uid(1)) is None  # refused transfers leave no trace


def test_pending_amounts_count_against_the_limit():
    ledger = funded_ledger(100)
    assert ledger.create_transfer(hold(1, 2, 3, 70), T0).code == RC.OK
    assert ledger.create_transfer(transfer(2, 2, 3, 31), T0).code == RC.EXCEEDS_CREDITS
    assert ledger.create_transfer(hold(3, 2, 3, 31), T0).code == RC.EXCEEDS_CREDITS
    assert ledger.create_transfer(transfer(4, 2, 3, 30), T0).code == RC.OK


def test_incoming_pending_credit_is_not_spendable():
    ledger = funded_ledger(0)
    assert ledger.create_transfer(hold(1, 1, 2, 50), T0).code == RC.OK
    assert ledger.create_transfer(transfer(2, 2, 3, 1), T0).code == RC.EXCEEDS_CREDITS


def test_source_account_cannot_take_back_more_than_it_gave():
    ledger = Ledger()
    ledger.create_account(Account(id=uid(1), code=1, flags=SOURCE))
    ledger.create_account(Account(id=uid(2), code=2))
    assert ledger.create_transfer(transfer(1, 1, 2, 40), T0).code == RC.OK
    assert ledger.create_transfer(transfer(2, 2, 1, 41), T0).code == RC.EXCEEDS_DEBITS
    assert ledger.create_transfer(transfer(3, 2, 1, 40), T0).code == RC.OK


def test_partial_post_books_the_amount_and_releases_the_rest():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60)
    ledger.create_transfer(pending, T0)
    assert ledger.create_transfer(post(2, pending, 45), at(5)).code == RC.OK
    assert counters(ledger, 2) == (0, 45, 0, 100)
    assert counters(ledger, 3) == (0, 0, 0, 45)
    assert ledger.pending_state(pending.id, at(5)) == PendingState.POSTED


def test_void_returns_the_whole_pending_amount():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60)
    ledger.create_transfer(pending, T0)
    assert ledger.create_transfer(void(2, pending), at(5)).code == RC.OK
    assert counters(ledger, 2) == (0, 0, 0, 100)
    assert counters(ledger, 3) == (0, 0, 0, 0)
    assert ledger.pending_state(pending.id, at(5)) == PendingState.VOIDED


def test_post_cannot_exceed_the_pending_amount():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60)
    ledger.create_transfer(pending, T0)
    result = ledger.create_transfer(post(2, pending, 61), T0)
    assert result.code == RC.EXCEEDS_PENDING_TRANSFER_AMOUNT


def test_void_must_name_the_pending_amount():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60)
    ledger.create_transfer(pending, T0)
    partial_void = replace(void(2, pending), amount=10)
    result = ledger.create_transfer(partial_void, T0)
    assert result.code == RC.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT


@pytest.mark.parametrize(
    ("first", "second", "code"),
    [
        ("post", "post", RC.PENDING_TRANSFER_ALREADY_POSTED),
        ("post", "void", RC.PENDING_TRANSFER_ALREADY_POSTED),
        ("void", "post", RC.PENDING_TRANSFER_ALREADY_VOIDED),
        ("void", "void", RC.PENDING_TRANSFER_ALREADY_VOIDED),
    ],
)
def test_a_pending_transfer_is_resolved_at_most_once(first, second, code):
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60)
    ledger.create_transfer(pending, T0)
    make = {"post": lambda n: post(n, pending, 60), "void": lambda n: void(n, pending)}
    assert ledger.create_transfer(make[first](2), T0).code == RC.OK
    assert ledger.create_transfer(make[second](3), T0).code == code
    assert counters(ledger, 2)[0] == 0  # not released twice


def test_expired_pending_cannot_be_posted_but_can_be_voided():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60, timeout=30)
    ledger.create_transfer(pending, T0)
    assert ledger.pending_state(pending.id, at(29)) == PendingState.PENDING
    assert ledger.pending_state(pending.id, at(30)) == PendingState.EXPIRED
    assert ledger.create_transfer(post(2, pending, 60), at(30)).code == RC.PENDING_TRANSFER_EXPIRED
    assert counters(ledger, 2) == (60, 0, 0, 100)  # still held until the release is recorded
    assert ledger.create_transfer(void(3, pending), at(31)).code == RC.OK
    assert counters(ledger, 2) == (0, 0, 0, 100)


def test_post_just_before_the_timeout_succeeds():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60, timeout=30)
    ledger.create_transfer(pending, T0)
    assert ledger.create_transfer(post(2, pending, 60), at(29)).code == RC.OK


def test_zero_timeout_never_expires():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60)
    ledger.create_transfer(pending, T0)
    assert ledger.create_transfer(post(2, pending, 60), at(10**9)).code == RC.OK


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        (transfer(0, 2, 3, 1), RC.ID_MUST_NOT_BE_ZERO),
        (transfer(1, 2, 3, 0), RC.AMOUNT_MUST_BE_POSITIVE),
        (transfer(1, 2, 3, -5), RC.AMOUNT_MUST_BE_POSITIVE),
        (transfer(1, 2, 2, 1), RC.ACCOUNTS_MUST_BE_DIFFERENT),
        (transfer(1, 9, 3, 1), RC.DEBIT_ACCOUNT_NOT_FOUND),
        (transfer(1, 2, 9, 1), RC.CREDIT_ACCOUNT_NOT_FOUND),
        (transfer(1, 2, 3, 1, timeout=5), RC.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER),
        (hold(1, 2, 3, 1, timeout=-1), RC.TIMEOUT_MUST_NOT_BE_NEGATIVE),
        (transfer(1, 2, 3, 1, pending=7), RC.PENDING_ID_MUST_BE_ZERO),
        (transfer(1, 2, 3, 1, TransferFlags.POST_PENDING), RC.PENDING_ID_MUST_NOT_BE_ZERO),
        (transfer(1, 2, 3, 1, TransferFlags.VOID_PENDING, 1), RC.PENDING_ID_MUST_BE_DIFFERENT),
        (transfer(1, 2, 3, 1, TransferFlags.POST_PENDING, 77), RC.PENDING_TRANSFER_NOT_FOUND),
        (
            transfer(1, 2, 3, 1, TransferFlags.PENDING | TransferFlags.POST_PENDING, 7),
            RC.FLAGS_ARE_MUTUALLY_EXCLUSIVE,
        ),
    ],
)
def test_malformed_transfers_are_refused_without_effect(bad, code):
    ledger = funded_ledger(100)
    assert ledger.create_transfer(bad, T0).code == code
    assert counters(ledger, 2) == (0, 0, 0, 100)


def test_resolving_something_that_is_not_pending_is_refused():
    ledger = funded_ledger(100)
    single = transfer(1, 2, 3, 10)
    ledger.create_transfer(single, T0)
    result = ledger.create_transfer(post(2, single, 10), T0)
    assert result.code == RC.PENDING_TRANSFER_NOT_PENDING


def test_resolving_between_other_accounts_is_refused():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 10)
    ledger.create_transfer(pending, T0)
    elsewhere = replace(post(2, pending, 10), credit_account_id=uid(1))
    result = ledger.create_transfer(elsewhere, T0)
    assert result.code == RC.PENDING_TRANSFER_HAS_DIFFERENT_ACCOUNTS
