"""Who may do what: operators act for their own region, enterprises for their own vouchers;
the administrator sees every region's settlements and ledger.

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


def region_seen_by(who: Principal) -> str | None:
    """The issuing region whose settlements and ledger an operator sees; None for the
    administrator, who sees every region's."""
    if who.role == "admin":
        return None
    if who.role != "operator" or who.region is None:
        raise Forbidden("only an operator of a region, or the administrator, may see this")
    return who.region


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
