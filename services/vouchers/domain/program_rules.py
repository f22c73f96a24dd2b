"""Rules for opening a voucher program (POST /programs)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from services.vouchers.domain.errors import FieldError
from services.vouchers.domain.terms import CONTRACT_TYPES, MAX_AMOUNT_FEN, ProgramTerms

FIRST_YEAR = 2000  # earlier than any voucher scheme; later years stay open-ended
LAST_YEAR = 2100
FULL_SHARE_BP = 10_000


def amount_errors(field: str, amount_fen: int) -> list[FieldError]:
    if amount_fen <= 0:
        return [FieldError(field, "must_be_positive", "must be more than 0 fen")]
    if amount_fen > MAX_AMOUNT_FEN:
        return [FieldError(field, "too_large", f"must be at most {MAX_AMOUNT_FEN} fen")]
    return []


def check_program(terms: ProgramTerms, known_regions: Collection[str]) -> list[FieldError]:
    """Every reason the program cannot be opened; empty when it can."""
    return [
        *_name_and_year(terms),
        *_money(terms),
        *_regions(terms, known_regions),
        *_contract_types(terms),
        *_catalog(terms),
        *_dates(terms),
    ]


def _name_and_year(terms: ProgramTerms) -> list[FieldError]:
    errors = []
    if not terms.name.strip():
        errors.append(FieldError("name", "required", "a program needs a name"))
    if not FIRST_YEAR <= terms.year <= LAST_YEAR:
        message = f"must be between {FIRST_YEAR} and {LAST_YEAR}"
        errors.append(FieldError("year", "out_of_range", message))
    return errors


def _money(terms: ProgramTerms) -> list[FieldError]:
    errors = amount_errors("budget_fen", terms.budget_fen)
    cap_errors = amount_errors("cap_per_enterprise_fen", terms.cap_per_enterprise_fen)
    # Measured against a broken budget the cap would only repeat the budget's error.
    if not errors and not cap_errors and terms.cap_per_enterprise_fen > terms.budget_fen:
        message = "one enterprise cannot be allowed more than the whole budget"
        cap_errors.append(FieldError("cap_per_enterprise_fen", "exceeds_budget", message))
    return errors + cap_errors + _share(terms)


def _share(terms: ProgramTerms) -> list[FieldError]:
    if 1 <= terms.max_share_bp <= FULL_SHARE_BP:
        return []
    message = f"must be between 1 and {FULL_SHARE_BP} basis points"
    return [FieldError("max_share_bp", "out_of_range", message)]


def _regions(terms: ProgramTerms, known_regions: Collection[str]) -> list[FieldError]:
    errors = []
    if terms.issuer_region not in known_regions:
        message = f"{terms.issuer_region!r} is not a known region"
        errors.append(FieldError("issuer_region", "unknown_region", message))
    if not terms.recognized_regions:
        message = "name at least one region whose providers are recognised"
        errors.append(FieldError("recognized_regions", "required", message))
    for i, region in enumerate(terms.recognized_regions):
        if region not in known_regions:
            message = f"{region!r} is not a known region"
            errors.append(FieldError(f"recognized_regions[{i}]", "unknown_region", message))
    return errors


def _contract_types(terms: ProgramTerms) -> list[FieldError]:
    if not terms.eligible_contract_types:
        message = "name at least one contract type vouchers may pay for"
        return [FieldError("eligible_contract_types", "required", message)]
    return [
        FieldError(f"eligible_contract_types[{i}]", "unknown_contract_type", f"{kind!r}")
        for i, kind in enumerate(terms.eligible_contract_types)
        if kind not in CONTRACT_TYPES
    ]


def _catalog(terms: ProgramTerms) -> list[FieldError]:
    if terms.provider_catalog is not None and not terms.provider_catalog:
        # An empty catalogue would refuse every provider; omit it to allow all instead.
        message = "omit the catalogue or list at least one provider"
        return [FieldError("provider_catalog", "empty_catalog", message)]
    return []


def _dates(terms: ProgramTerms) -> list[FieldError]:
    naive = [name for name in ("use_by", "redeem_by") if getattr(terms, name).tzinfo is None]
    if naive:
        # Comparing a naive time with an aware one is undefined; refuse rather than guess.
        message = "give the time zone (RFC 3339), e.g. 2026-12-31T23:59:59+08:00"
        return [FieldError(name, "timezone_required", message) for name in naive]
    errors = []
    if terms.use_by > terms.redeem_by:
        message = "vouchers must stay redeemable at least until they can no longer be used"
        errors.append(FieldError("use_by", "after_redeem_by", message))
    if terms.use_by.year < terms.year:
        message = "vouchers cannot stop being usable before the program's year"
        errors.append(FieldError("use_by", "before_program_year", message))
    return errors


def check_opening_time(terms: ProgramTerms, now: datetime) -> list[FieldError]:
    """A program whose vouchers could never be used is refused rather than opened empty."""
    if terms.use_by.tzinfo is not None and terms.use_by <= now:
        message = "the use-by date has already passed"
        return [FieldError("use_by", "in_the_past", message)]
    return []
