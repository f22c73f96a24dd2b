"""Validation of offer and need drafts, as plain mappings (a request body or a seed record).

Only the listing's own content is judged here; whether the owner organisation exists and
whether the caller may act for it is the service's business. Unknown keys are ignored,
so seed records carrying local references validate unchanged. For a PATCH, validate the
listing as it would be after the patch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from services.listings.domain.catalogue import (
    INDUSTRY_CODES,
    MODE_CODES,
    OFFER_KIND_CODES,
    TRL_MAX,
    TRL_MIN,
)
from services.listings.domain.checks import (
    bool_errors,
    code_errors,
    future_date_errors,
    int_errors,
    list_errors,
    text_errors,
)
from services.listings.domain.ip import IP_KINDS, check_ip_number
from services.listings.domain.limits import (
    AMOUNT_MAX_FEN,
    DESCRIPTION_MAX_CHARS,
    IP_DESCRIPTION_MAX_CHARS,
    IP_MAX_ITEMS,
    IP_NUMBER_MAX_CHARS,
    KEYWORD_MAX_CHARS,
    KEYWORDS_MAX_ITEMS,
    SUMMARY_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from services.listings.domain.problems import FieldError

Draft = Mapping[str, Any]
_IP_KIND_CODES = frozenset(IP_KINDS)


def validate_offer(draft: Draft, today: date) -> list[FieldError]:
    return [
        *_title_errors(draft.get("title")),
        *text_errors("summary", draft.get("summary"), **_long_text(SUMMARY_MAX_CHARS, False)),
        *_description_errors(draft.get("description"), required=False),
        *code_errors("kind", draft.get("kind"), OFFER_KIND_CODES),
        *code_errors("industry", draft.get("industry"), INDUSTRY_CODES),
        *keyword_errors(draft.get("keywords")),
        *int_errors("trl", draft.get("trl"), low=TRL_MIN, high=TRL_MAX, required=True),
        *mode_errors(draft.get("modes")),
        *amount_errors("asking_price_fen", draft.get("asking_price_fen")),
        *ip_errors(draft.get("ip")),
        *future_date_errors("valid_until", draft.get("valid_until"), today),
    ]


def validate_need(draft: Draft, today: date) -> list[FieldError]:
    return [
        *_title_errors(draft.get("title")),
        *_description_errors(draft.get("description"), required=True),
        *code_errors("industry", draft.get("industry"), INDUSTRY_CODES),
        *keyword_errors(draft.get("keywords")),
        *int_errors("min_trl", draft.get("min_trl"), low=TRL_MIN, high=TRL_MAX, required=False),
        *budget_errors(draft.get("budget_min_fen"), draft.get("budget_max_fen")),
        *bool_errors("cross_region_ok", draft.get("cross_region_ok")),
        *mode_errors(draft.get("modes")),
        *future_date_errors("deadline", draft.get("deadline"), today),
    ]


def _long_text(max_chars: int, required: bool) -> dict[str, Any]:
    return {"max_chars": max_chars, "required": required, "single_line": False}


def _title_errors(value: object) -> list[FieldError]:
    return text_errors("title", value, max_chars=TITLE_MAX_CHARS, required=True, single_line=True)


def _description_errors(value: object, *, required: bool) -> list[FieldError]:
    return text_errors("description", value, **_long_text(DESCRIPTION_MAX_CHARS, required))


def amount_errors(field: str, value: object) -> list[FieldError]:
    """An optional amount in fen: a non-negative integer (None means negotiable)."""
    return int_errors(field, value, low=0, high=AMOUNT_MAX_FEN, required=False)


def budget_errors(low: object, high: object) -> list[FieldError]:
    errors = amount_errors("budget_min_fen", low) + amount_errors("budget_max_fen", high)
    if not errors and isinstance(low, int) and isinstance(high, int) and low > high:
        errors.append(FieldError("budget_min_fen", "budget_range", "must not exceed the maximum"))
    return errors


def keyword_errors(value: object) -> list[FieldError]:
    if value is None:
        return []
    errors = list_errors("keywords", value, max_items=KEYWORDS_MAX_ITEMS)
    seen: set[str] = set()
    for index, keyword in enumerate(_items(value) if not errors else ()):
        field = f"keywords[{index}]"
        found = text_errors(
            field, keyword, max_chars=KEYWORD_MAX_CHARS, required=True, single_line=True
        )
        if not found and isinstance(keyword, str):
            if keyword.strip() in seen:
                found = [FieldError(field, "duplicate", "keyword given twice")]
            seen.add(keyword.strip())
        errors += found
    return errors


def mode_errors(value: object) -> list[FieldError]:
    if value is None or (isinstance(value, list | tuple) and not value):
        return [FieldError("modes", "required", "name at least one transaction mode")]
    errors = list_errors("modes", value, max_items=len(MODE_CODES))
    seen: set[str] = set()
    for index, mode in enumerate(_items(value) if not errors else ()):
        field = f"modes[{index}]"
        found = code_errors(field, mode, MODE_CODES)
        if not found and isinstance(mode, str):
            if mode in seen:
                found = [FieldError(field, "duplicate", "mode given twice")]
            seen.add(mode)
        errors += found
    return errors


def ip_errors(value: object) -> list[FieldError]:
    if value is None:
        return []
    errors = list_errors("ip", value, max_items=IP_MAX_ITEMS)
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(_items(value) if not errors else ()):
        errors += _ip_item_errors(f"ip[{index}]", item, seen)
    return errors


def _ip_item_errors(field: str, item: object, seen: set[tuple[str, str]]) -> list[FieldError]:
    if not isinstance(item, Mapping):
        return [FieldError(field, "type", "must be an object with kind and number")]
    kind, number = item.get("kind"), item.get("number")
    errors = code_errors(f"{field}.kind", kind, _IP_KIND_CODES)
    description = item.get("description")
    errors += text_errors(
        f"{field}.description", description, **_long_text(IP_DESCRIPTION_MAX_CHARS, False)
    )
    if number is not None and not isinstance(number, str):
        errors.append(FieldError(f"{field}.number", "type", "must be a string"))
    elif number is not None and len(number) > IP_NUMBER_MAX_CHARS:
        errors.append(FieldError(f"{field}.number", "too_long", "number too long"))
    if errors:
        return errors
    check = check_ip_number(str(kind), number)
    if check.problem is not None:
        return [FieldError.at(f"{field}.number", check.problem)]
    if check.number is None:  # trade secrets carry no number, so they never repeat
        return []
    if (str(kind), check.number) in seen:
        return [FieldError(f"{field}.number", "duplicate", "IP item listed twice")]
    seen.add((str(kind), check.number))
    return []


def _items(value: object) -> Sequence[object]:
    return value if isinstance(value, list | tuple) else ()


def normalise_ip_items(items: Sequence[Mapping[str, Any]]) -> list[dict[str, str | None]]:
    """The IP items with numbers in canonical form; call only after validation passed."""
    normalised: list[dict[str, str | None]] = []
    for item in items:
        entry: dict[str, str | None] = {
            "kind": item["kind"],
            "number": check_ip_number(item["kind"], item.get("number")).number,
        }
        if item.get("description"):
            entry["description"] = item["description"]
        normalised.append(entry)
    return normalised
