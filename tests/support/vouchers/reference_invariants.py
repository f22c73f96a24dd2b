"""The ledger's invariants (docs/ledger.md §1), checked over any set of accounts and transfers.

A reference for the SQL check production runs (GET /ledger/check,
services/vouchers/repository/ledger_check.py). Works on the in-memory Ledger and on rows
loaded from PostgreSQL alike, which is how the property test compares the two. Balances
are recomputed here independently of the code that applies transfers, so a bug there
shows up as a violation rather than hiding itself.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from services.vouchers.domain.ledger_model import Account, Transfer

DEBITS_EQUAL_CREDITS = "debits_equal_credits"
NO_NEGATIVE_BALANCE = "no_negative_balance"
NO_OVERDRAFT = "no_overdraft"
RESOLVED_AT_MOST_ONCE = "resolved_at_most_once"
RESOLUTION_MATCHES_PENDING = "resolution_matches_pending"
BALANCE_EQUALS_TRANSFERS = "balance_equals_transfers"

COUNTERS = ("debits_pending", "debits_posted", "credits_pending", "credits_posted")


@dataclass(frozen=True)
class Violation:
    invariant: str
    subject: str  # the account or transfer concerned; "" for the ledger as a whole
    detail: str


class LedgerView(Protocol):
    def accounts(self) -> Iterable[Account]: ...

    def transfers(self) -> Iterable[Transfer]: ...


@dataclass(frozen=True)
class LedgerSnapshot:
    """Accounts and transfers read from somewhere else (e.g. the database)."""

    account_rows: tuple[Account, ...]
    transfer_rows: tuple[Transfer, ...]

    def accounts(self) -> Iterable[Account]:
        return self.account_rows

    def transfers(self) -> Iterable[Transfer]:
        return self.transfer_rows


def invariants(ledger: LedgerView) -> list[Violation]:
    accounts = list(ledger.accounts())
    transfers = list(ledger.transfers())
    return [
        *_debits_equal_credits(accounts),
        *_no_negative_balance(accounts),
        *_no_overdraft(accounts),
        *_resolved_at_most_once(transfers),
        *_resolutions_match_pending(transfers),
        *_balance_equals_transfers(accounts, transfers),
    ]


def _debits_equal_credits(accounts: list[Account]) -> list[Violation]:
    found = []
    for stage in ("pending", "posted"):
        debits = sum(getattr(a, f"debits_{stage}") for a in accounts)
        credits = sum(getattr(a, f"credits_{stage}") for a in accounts)
        if debits != credits:
            detail = f"sum of debits_{stage} {debits} != sum of credits_{stage} {credits}"
            found.append(Violation(DEBITS_EQUAL_CREDITS, "", detail))
    return found


def _no_negative_balance(accounts: list[Account]) -> list[Violation]:
    return [
        Violation(NO_NEGATIVE_BALANCE, str(a.id), f"{name} is {getattr(a, name)}")
        for a in accounts
        for name in COUNTERS
        if getattr(a, name) < 0
    ]


def _no_overdraft(accounts: list[Account]) -> list[Violation]:
    return [
        Violation(NO_OVERDRAFT, str(a.id), f"flags {int(a.flags)} broken, pending included")
        for a in accounts
        if a.is_overdrawn()
    ]


def _resolved_at_most_once(transfers: list[Transfer]) -> list[Violation]:
    uses = Counter(t.pending_id for t in transfers if t.resolves_pending)
    return [
        Violation(RESOLVED_AT_MOST_ONCE, str(pending_id), f"resolved {count} times")
        for pending_id, count in uses.items()
        if count > 1
    ]


def _resolutions_match_pending(transfers: list[Transfer]) -> list[Violation]:
    by_id = {t.id: t for t in transfers}
    found = []
    for t in transfers:
        if t.resolves_pending:
            mismatch = _mismatch(t, by_id.get(t.pending_id))  # type: ignore[arg-type]
            if mismatch:
                found.append(Violation(RESOLUTION_MATCHES_PENDING, str(t.id), mismatch))
    return found


def _mismatch(resolution: Transfer, pending: Transfer | None) -> str | None:
    if pending is None or not pending.is_pending:
        return f"resolves {resolution.pending_id}, which is not a pending transfer"
    accounts = (resolution.debit_account_id, resolution.credit_account_id)
    if accounts != (pending.debit_account_id, pending.credit_account_id):
        return f"resolves {pending.id} between other accounts"
    if resolution.amount > pending.amount:
        return f"posts {resolution.amount}, more than the pending {pending.amount}"
    if resolution.is_void and resolution.amount != pending.amount:
        return f"voids {resolution.amount}, not the pending {pending.amount}"
    expires_at = pending.expires_at()
    stamped = resolution.timestamp
    if resolution.is_post and expires_at and stamped and stamped >= expires_at:
        return f"posted at {stamped.isoformat()}, after the hold expired"
    return None


def _balance_equals_transfers(
    accounts: list[Account], transfers: list[Transfer]
) -> list[Violation]:
    expected = expected_counters(transfers)
    found = []
    for account in accounts:
        sums = expected.pop(account.id, dict.fromkeys(COUNTERS, 0))
        for name in COUNTERS:
            if getattr(account, name) != sums[name]:
                detail = f"{name} is {getattr(account, name)}, its transfers sum to {sums[name]}"
                found.append(Violation(BALANCE_EQUALS_TRANSFERS, str(account.id), detail))
    for missing in expected:
        found.append(Violation(BALANCE_EQUALS_TRANSFERS, str(missing), "unknown account"))
    return found


def expected_counters(transfers: list[Transfer]) -> dict[UUID, dict[str, int]]:
    """Every account's four counters as its transfers say they must be."""
    by_id = {t.id: t for t in transfers}
    sums: dict[UUID, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for t in transfers:
        debit, credit = sums[t.debit_account_id], sums[t.credit_account_id]
        if t.is_pending:
            debit["debits_pending"] += t.amount
            credit["credits_pending"] += t.amount
        elif not t.resolves_pending:
            debit["debits_posted"] += t.amount
            credit["credits_posted"] += t.amount
        elif (pending := by_id.get(t.pending_id)) is not None:  # type: ignore[arg-type]
            # Resolving releases the whole hold; a post then books what was really used.
            sums[pending.debit_account_id]["debits_pending"] -= pending.amount
            sums[pending.credit_account_id]["credits_pending"] -= pending.amount
            if t.is_post:
                debit["debits_posted"] += t.amount
                credit["credits_posted"] += t.amount
    return dict(sums)
