"""Idempotency of the ledger: a retry with the same fields is `exists` and changes nothing;
with different fields it is refused and names them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.vouchers.domain import Account, ResultCode, TransferFlags
from tests.support.vouchers.ledger_helpers import (
    LIMITED,
    SOURCE,
    T0,
    at,
    counters,
    funded_ledger,
    hold,
    post,
    transfer,
    uid,
)
from tests.support.vouchers.reference_ledger import Ledger

RC = ResultCode


def test_retry_with_same_fields_is_exists_and_changes_nothing():
    ledger = funded_ledger(100)
    first = transfer(1, 2, 3, 30)
    assert ledger.create_transfer(first, at(1)).code == RC.OK
    before = counters(ledger, 2), counters(ledger, 3), len(ledger.transfers())
    result = ledger.create_transfer(first, at(2))
    assert result.code == RC.EXISTS and result.accepted
    assert (counters(ledger, 2), counters(ledger, 3), len(ledger.transfers())) == before
    stored = ledger.transfer(uid(1))
    assert stored is not None and stored.timestamp == at(1)


def test_retry_of_a_post_is_exists_not_already_posted():
    ledger = funded_ledger(100)
    pending = hold(1, 2, 3, 60)
    ledger.create_transfer(pending, T0)
    ledger.create_transfer(post(2, pending, 40), T0)
    assert ledger.create_transfer(post(2, pending, 40), at(1)).code == RC.EXISTS


def test_retry_that_would_now_overdraw_is_still_exists():
    ledger = funded_ledger(100)
    ledger.create_transfer(transfer(1, 2, 3, 100), T0)
    assert ledger.create_transfer(transfer(1, 2, 3, 100), T0).code == RC.EXISTS


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": 31}, "amount"),
        ({"credit_account_id": uid(1)}, "credit_account_id"),
        ({"code": 9}, "code"),
        ({"flags": TransferFlags.PENDING}, "flags"),
    ],
)
def test_retry_with_different_fields_names_the_field(change, field):
    ledger = funded_ledger(100)
    first = transfer(1, 2, 3, 30)
    ledger.create_transfer(first, T0)
    result = ledger.create_transfer(replace(first, **change), T0)
    assert result.code == RC.EXISTS_WITH_DIFFERENT_FIELDS
    assert result.fields == (field,)
    assert not result.accepted
    assert counters(ledger, 3) == (0, 0, 0, 30)


def test_accounts_are_created_idempotently_and_start_empty():
    ledger = Ledger()
    account = Account(id=uid(1), code=1, flags=LIMITED)
    assert ledger.create_account(account).code == RC.OK
    assert ledger.create_account(account).code == RC.EXISTS
    other = ledger.create_account(replace(account, flags=SOURCE))
    assert (other.code, other.fields) == (RC.EXISTS_WITH_DIFFERENT_FIELDS, ("flags",))
    rich = Account(id=uid(2), code=1, credits_posted=5)
    assert ledger.create_account(rich).code == RC.BALANCES_MUST_BE_ZERO
    both = Account(id=uid(3), code=1, flags=LIMITED | SOURCE)
    assert ledger.create_account(both).code == RC.FLAGS_ARE_MUTUALLY_EXCLUSIVE
    assert ledger.create_account(Account(id=uid(0), code=1)).code == RC.ID_MUST_NOT_BE_ZERO
