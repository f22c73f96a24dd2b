"""Pure domain of the deals service: contract types, amounts, registration rules and
numbers, tax benefits, the deal lifecycle and flow statistics. No database, HTTP or Kafka.
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
from .flows import FlowRecord, FlowStatistics, flows
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
    format_registration_no,
    is_registration_no,
    parse_registration_no,
    registration_no_for,
)
from .tax_benefits import CitReliefEstimate, TaxBenefit, estimate_cit_relief, tax_benefits_for

__all__ = [
    "CONTRACT_TYPES",
    "COUNTED_IN_STATISTICS",
    "EXPERT_REVIEW_THRESHOLD_FEN",
    "JINGJINJI",
    "RULE_SETS",
    "AmountProblem",
    "Assessment",
    "CitReliefEstimate",
    "ContractSnapshot",
    "ContractType",
    "DealAction",
    "DealStatus",
    "Deduction",
    "DeductionKind",
    "FailureCode",
    "Family",
    "FlowRecord",
    "FlowStatistics",
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
    "contract_type",
    "estimate_cit_relief",
    "find_contract_type",
    "flows",
    "format_registration_no",
    "is_registration_no",
    "next_status",
    "parse_registration_no",
    "registration_no_for",
    "review_action",
    "rules_for",
    "tax_benefits_for",
    "tech_amount_fen",
]
