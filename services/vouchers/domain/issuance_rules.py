"""Rules for issuing a voucher (POST /programs/{id}/vouchers).

The budget itself cannot be over-issued: the budget account refuses it. These checks give
the operator a reason instead of a ledger code, and cover what the ledger cannot see
(who the enterprise is, the per-enterprise cap). The service holds the budget account's
row lock while checking, so two issuances for one program cannot both pass on stale sums.
"""

from __future__ import annotations

from datetime import datetime

from services.vouchers.domain.errors import FieldError
from services.vouchers.domain.program_rules import amount_errors
from services.vouchers.domain.terms import Enterprise, ProgramTerms


def check_issuance(
    program: ProgramTerms,
    enterprise: Enterprise,
    amount_fen: int,
    *,
    budget_available_fen: int,
    enterprise_issued_fen: int,
    now: datetime,
) -> list[FieldError]:
    """`enterprise_issued_fen`: everything already issued to this enterprise in this
    program, expired vouchers included (the cap limits what is handed out, not held)."""
    errors = _eligibility(program, enterprise)
    if now >= program.use_by:
        message = "the program's vouchers can no longer be used, so none are issued"
        errors.append(FieldError("program_id", "after_use_by", message))
    amount = amount_errors("amount_fen", amount_fen)
    if amount:
        return errors + amount
    if amount_fen > budget_available_fen:
        message = f"only {budget_available_fen} fen of the budget is left"
        errors.append(FieldError("amount_fen", "over_budget", message))
    if enterprise_issued_fen + amount_fen > program.cap_per_enterprise_fen:
        left = max(program.cap_per_enterprise_fen - enterprise_issued_fen, 0)
        message = f"this enterprise may receive only {left} fen more from this program"
        errors.append(FieldError("amount_fen", "over_enterprise_cap", message))
    return errors


def _eligibility(program: ProgramTerms, enterprise: Enterprise) -> list[FieldError]:
    errors = []
    if enterprise.region != program.issuer_region:
        message = f"vouchers of {program.issuer_region} go to its own enterprises only"
        errors.append(FieldError("enterprise_org_id", "not_of_issuing_region", message))
    if not enterprise.small_firm:
        message = "innovation vouchers are for small firms"
        errors.append(FieldError("enterprise_org_id", "not_small_firm", message))
    return errors
