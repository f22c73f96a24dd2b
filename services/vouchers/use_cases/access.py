"""Who may do what: operators act for their own region, enterprises for their own vouchers.

Checked after the resource is found (an unknown id is 404 for everyone), before any rule.
"""

from __future__ import annotations

import uuid

from shared.auth import Principal
from shared.errors import Forbidden


def is_operator_of(who: Principal, region: str) -> bool:
    return who.role == "operator" and who.region == region


def is_enterprise(who: Principal, org_id: uuid.UUID) -> bool:
    return who.role == "enterprise" and who.org == str(org_id)


def require_operator_of(who: Principal, region: str) -> None:
    if not is_operator_of(who, region):
        raise Forbidden(f"only an operator of {region} may do this")


def require_enterprise(who: Principal, org_id: uuid.UUID) -> None:
    if not is_enterprise(who, org_id):
        raise Forbidden("only the enterprise holding the voucher may do this")


def require_enterprise_or_operator(who: Principal, org_id: uuid.UUID, region: str) -> None:
    if not (is_enterprise(who, org_id) or is_operator_of(who, region)):
        raise Forbidden(f"only the enterprise holding the voucher or an operator of {region} "
                        "may do this")
