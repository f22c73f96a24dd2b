"""Pure domain of the listings service: participants' codes, IP numbers, the catalogue,
the listing lifecycle and the validation rules of offers and needs.

No I/O and no framework imports: everything here is unit-tested without a database.
"""

from services.listings.domain.catalogue import (
    INDUSTRIES,
    INDUSTRY_CODES,
    INDUSTRY_GROUPS,
    MODE_CODES,
    OFFER_KIND_CODES,
    OFFER_KINDS,
    ORGANIZATION_KIND_CODES,
    ORGANIZATION_KINDS,
    TRANSACTION_MODES,
    TRL_LEVELS,
    Industry,
    Term,
    TrlLevel,
    trl_level,
)
from services.listings.domain.credit_code import (
    CreditCodeCheck,
    check_credit_code,
    make_credit_code,
    normalise_credit_code,
)
from services.listings.domain.ip import IP_KINDS, IpNumberCheck, check_ip_number
from services.listings.domain.lifecycle import (
    ListingAction,
    ListingKind,
    ListingStatus,
    TransitionNotAllowed,
    is_editable,
    is_expired,
    next_status,
)
from services.listings.domain.problems import FieldError, Problem
from services.listings.domain.rules import normalise_ip_items, validate_need, validate_offer

__all__ = [
    "INDUSTRIES",
    "INDUSTRY_CODES",
    "INDUSTRY_GROUPS",
    "IP_KINDS",
    "MODE_CODES",
    "OFFER_KINDS",
    "OFFER_KIND_CODES",
    "ORGANIZATION_KINDS",
    "ORGANIZATION_KIND_CODES",
    "TRANSACTION_MODES",
    "TRL_LEVELS",
    "CreditCodeCheck",
    "FieldError",
    "Industry",
    "IpNumberCheck",
    "ListingAction",
    "ListingKind",
    "ListingStatus",
    "Problem",
    "Term",
    "TransitionNotAllowed",
    "TrlLevel",
    "check_credit_code",
    "check_ip_number",
    "is_editable",
    "is_expired",
    "make_credit_code",
    "next_status",
    "normalise_credit_code",
    "normalise_ip_items",
    "trl_level",
    "validate_need",
    "validate_offer",
]
