"""Which rules apply to a contract, and the outcome of submitting it for registration.

Rule sets are a table keyed by the date they take effect; a contract is judged by the rules
in force on the day it was signed, so a later rule change never reopens an older contract.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .amounts import is_fen, tech_amount_fen
from .contract import ContractSnapshot
from .failures import RegistrationFailure
from .regions import JINGJINJI, RegionBook
from .rules import (
    RegistrationContext,
    Rule,
    check_dates,
    check_parties,
    check_price,
    check_subject,
)
from .rules_content import (
    check_documents,
    check_ip,
    check_not_registered,
    check_type_fits_content,
)

# 5,000,000 RMB: from 2026 contracts this large need an operator's expert review.
EXPERT_REVIEW_THRESHOLD_FEN = 500_000_000

BASE_RULES: tuple[Rule, ...] = (
    check_parties,
    check_subject,
    check_price,
    check_dates,
    check_ip,
    check_type_fits_content,
    check_documents,
    check_not_registered,
)


@dataclass(frozen=True)
class RuleSet:
    name: str
    effective_from: date
    rules: tuple[Rule, ...]
    expert_review_from_fen: int | None  # None: every passing contract registers at once


RULE_SETS: tuple[RuleSet, ...] = (
    RuleSet("initial", date.min, BASE_RULES, None),
    RuleSet("2026", date(2026, 3, 1), BASE_RULES, EXPERT_REVIEW_THRESHOLD_FEN),
)


def rules_for(signed_on: date) -> RuleSet:
    in_force = [s for s in RULE_SETS if s.effective_from <= signed_on]
    return max(in_force, key=lambda s: s.effective_from)


class Outcome(StrEnum):
    REFUSED = "refused"
    REGISTER = "register"
    EXPERT_REVIEW = "expert_review"


@dataclass(frozen=True)
class Assessment:
    outcome: Outcome
    failures: tuple[RegistrationFailure, ...]
    tech_amount_fen: int | None  # None only when the amounts are not integer fen
    rule_set: str

    @property
    def refused(self) -> bool:
        return self.outcome is Outcome.REFUSED


def assess(
    contract: ContractSnapshot, today: date, *, regions: RegionBook = JINGJINJI
) -> Assessment:
    """Judge a submission: all failures at once, else register or send to expert review."""
    rule_set = rules_for(contract.signed_on)
    context = RegistrationContext(today=today, regions=regions)
    failures = tuple(f for rule in rule_set.rules for f in rule(contract, context))
    amount = _tech_amount(contract)
    if failures or amount is None:
        outcome = Outcome.REFUSED
    elif rule_set.expert_review_from_fen is not None and amount >= rule_set.expert_review_from_fen:
        outcome = Outcome.EXPERT_REVIEW
    else:
        outcome = Outcome.REGISTER
    return Assessment(outcome, failures, amount, rule_set.name)


def _tech_amount(contract: ContractSnapshot) -> int | None:
    amounts = [contract.total_fen, *(d.amount_fen for d in contract.deductions)]
    if not all(is_fen(a) for a in amounts):
        return None
    return tech_amount_fen(contract.total_fen, contract.deductions)
