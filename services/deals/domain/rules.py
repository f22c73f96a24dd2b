"""Registration rules about who signed, what, for how much and when.

Each rule is a pure function of the contract snapshot and the registration context and
returns every failure it finds, so one submission shows the broker all there is to amend.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .amounts import amount_problems
from .contract import ContractSnapshot, Party
from .contract_types import find_contract_type
from .failures import FailureCode, RegistrationFailure
from .regions import JINGJINJI, RegionBook
from .subject import MIN_SUBJECT_CHARACTERS, contradicting_families, meaningful_length


@dataclass(frozen=True)
class RegistrationContext:
    today: date  # the registration date
    regions: RegionBook = JINGJINJI


Rule = Callable[[ContractSnapshot, RegistrationContext], list[RegistrationFailure]]


def check_parties(
    contract: ContractSnapshot, context: RegistrationContext
) -> list[RegistrationFailure]:
    failures = _party_failures("seller", contract.seller, context.regions)
    failures += _party_failures("buyer", contract.buyer, context.regions)
    seller, buyer = contract.seller, contract.buyer
    if seller and buyer and seller.org_id.strip() and seller.org_id == buyer.org_id:
        failures.append(_parties("buyer_org_id", "seller and buyer are the same organisation"))
    return failures


def _party_failures(
    role: str, party: Party | None, regions: RegionBook
) -> list[RegistrationFailure]:
    if party is None or not party.org_id.strip():
        return [_parties(f"{role}_org_id", f"the {role} is missing")]
    failures = []
    if not party.name.strip():
        failures.append(_parties(f"{role}_name", f"the {role} has no name on record"))
    if regions.find(party.region) is None:
        failures.append(
            _parties(f"{role}_region", f"the {role}'s region {party.region!r} is unknown"))
    return failures


def _parties(field: str, message: str) -> RegistrationFailure:
    return RegistrationFailure(FailureCode.UNCLEAR_PARTIES, field, message)


def check_subject(
    contract: ContractSnapshot, context: RegistrationContext
) -> list[RegistrationFailure]:
    length = meaningful_length(contract.subject)
    if length == 0:
        return [_subject("the contract must state its technical subject (标的)")]
    failures = []
    if length < MIN_SUBJECT_CHARACTERS:
        failures.append(_subject(
            f"the technical subject is too short to identify the technology: {length} "
            f"characters, at least {MIN_SUBJECT_CHARACTERS} letters, digits or 汉字 needed"))
    kind = find_contract_type(contract.contract_type)
    if kind is not None:
        others = contradicting_families(contract.subject, kind.family)
        if others:
            named = ", ".join(sorted(others))
            failures.append(_subject(
                f"the subject describes a {named} contract, "
                f"but the type is {kind.code} ({kind.name_zh})"))
    return failures


def _subject(message: str) -> RegistrationFailure:
    return RegistrationFailure(FailureCode.UNCLEAR_SUBJECT, "subject", message)


def check_price(
    contract: ContractSnapshot, context: RegistrationContext
) -> list[RegistrationFailure]:
    return [
        RegistrationFailure(FailureCode.UNCLEAR_PRICE, problem.field, problem.message)
        for problem in amount_problems(contract.total_fen, contract.deductions)
    ]


def check_dates(
    contract: ContractSnapshot, context: RegistrationContext
) -> list[RegistrationFailure]:
    signed, start, end, today = (
        contract.signed_on, contract.valid_from, contract.valid_until, context.today)
    failures = []
    if start > end:
        failures.append(_dates("valid_from", f"valid from {start} is after valid until {end}"))
    if signed > today:
        failures.append(_dates("signed_on", f"signed on {signed}, which is after today {today}"))
    if signed > end:
        failures.append(_dates("signed_on", f"signed on {signed}, after the contract ended {end}"))
    if end < today:
        failures.append(_dates("valid_until", f"the contract expired on {end}, before {today}"))
    return failures


def _dates(field: str, message: str) -> RegistrationFailure:
    return RegistrationFailure(FailureCode.NOT_IN_FORCE, field, message)
