"""Pure domain of the deals service: contract types, amounts, registration rules, the shape
of a registration number, the tax benefits a certificate lists and the deal lifecycle. No
database, HTTP or Kafka. Everything here is run by the service; the figures it leaves to
SQL (flow statistics, the registration number itself) have pure references under
tests/support/deals/.
"""

from .amounts import AmountProblem, Deduction, amount_problems, tech_amount_fen
from .contract import ContractSnapshot, IpItem, Party
from .contract_types import (
    CONTRACT_TYPES,
    ContractType,
    DeductionKind,
    Family,
    IpKind,
    UnknownContractType,
    contract_type,
    find_contract_type,
)
from .failures import FailureCode, RegistrationFailure
from .lifecycle import (
    COUNTED_IN_STATISTICS,
    DealAction,
    DealStatus,
    TransitionNotAllowed,
    action_for,
    allowed_actions,
    next_status,
    review_action,
)
from .regions import JINGJINJI, Region, RegionBook
from .registration import (
    EXPERT_REVIEW_THRESHOLD_FEN,
    RULE_SETS,
    Assessment,
    Outcome,
    RuleSet,
    assess,
    rules_for,
)
from .registration_no import (
    InvalidRegistrationNo,
    RegistrationNo,
    is_registration_no,
    parse_registration_no,
)
from .tax_benefits import TaxBenefit, tax_benefits_for
from .verification import code_matches, new_verification_code

__all__ = [
    "CONTRACT_TYPES",
    "COUNTED_IN_STATISTICS",
    "EXPERT_REVIEW_THRESHOLD_FEN",
    "JINGJINJI",
    "RULE_SETS",
    "AmountProblem",
    "Assessment",
    "ContractSnapshot",
    "ContractType",
    "DealAction",
    "DealStatus",
    "Deduction",
    "DeductionKind",
    "FailureCode",
    "Family",
    "InvalidRegistrationNo",
    "IpItem",
    "IpKind",
    "Outcome",
    "Party",
    "Region",
    "RegionBook",
    "RegistrationFailure",
    "RegistrationNo",
    "RuleSet",
    "TaxBenefit",
    "TransitionNotAllowed",
    "UnknownContractType",
    "action_for",
    "allowed_actions",
    "amount_problems",
    "assess",
    "code_matches",
    "contract_type",
    "find_contract_type",
    "is_registration_no",
    "new_verification_code",
    "next_status",
    "parse_registration_no",
    "review_action",
    "rules_for",
    "tax_benefits_for",
    "tech_amount_fen",
]
