"""Small field checks that the offer and need rules are assembled from."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta

from services.listings.domain.limits import VALIDITY_MAX_DAYS
from services.listings.domain.problems import FieldError
from shared.china_time import china_date

# C0/C1 controls break logs, CSV exports and terminals; NUL and lone surrogates cannot even
# be stored in Postgres text. Multi-line fields keep tab, line feed and carriage return.
_CONTROL_MULTI_LINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_SINGLE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text_errors(
    field: str, value: object, *, max_chars: int, required: bool, single_line: bool
) -> list[FieldError]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return [FieldError(field, "required", "must not be empty")] if required else []
    if not isinstance(value, str):
        return [FieldError(field, "type", "must be a string")]
    if len(value) > max_chars:
        return [FieldError(field, "too_long", f"at most {max_chars} characters")]
    control = _CONTROL_SINGLE_LINE if single_line else _CONTROL_MULTI_LINE
    if control.search(value):
        return [FieldError(field, "control_character", "contains a control character")]
    return []


def int_errors(
    field: str, value: object, *, low: int, high: int, required: bool
) -> list[FieldError]:
    if value is None:
        return [FieldError(field, "required", "is required")] if required else []
    # bool is an int subclass and 5.0 is a float: neither is an amount or a level.
    if isinstance(value, bool) or not isinstance(value, int):
        return [FieldError(field, "type", "must be an integer")]
    if not low <= value <= high:
        return [FieldError(field, "out_of_range", f"must be between {low} and {high}")]
    return []


def code_errors(field: str, value: object, allowed: Collection[str]) -> list[FieldError]:
    if value is None or value == "":
        return [FieldError(field, "required", "is required")]
    if not isinstance(value, str) or value not in allowed:
        return [FieldError(field, "unknown", f"unknown value {value!r}")]
    return []


def bool_errors(field: str, value: object) -> list[FieldError]:
    if value is None or isinstance(value, bool):
        return []
    return [FieldError(field, "type", "must be true or false")]


def list_errors(field: str, value: object, *, max_items: int) -> list[FieldError]:
    if not isinstance(value, list | tuple):
        return [FieldError(field, "type", "must be a list")]
    if len(value) > max_items:
        return [FieldError(field, "too_many", f"at most {max_items} items")]
    return []


def future_date_errors(field: str, value: object, today: date) -> list[FieldError]:
    """The date must fall after ``today`` and within the validity horizon."""
    if value is None or value == "":
        return [FieldError(field, "required", "is required")]
    day = to_day(value)
    if day is None:
        return [FieldError(field, "invalid_date", "must be a date like 2026-12-31")]
    if day <= today:
        return [FieldError(field, "not_in_future", f"must be after {today.isoformat()}")]
    if day > today + timedelta(days=VALIDITY_MAX_DAYS):
        return [FieldError(field, "too_far", f"at most {VALIDITY_MAX_DAYS} days ahead")]
    return []


def to_day(value: object) -> date | None:
    """A Beijing calendar date from a date, a datetime or an ISO 8601 string; else None."""
    if isinstance(value, str):
        value = _parse_iso(value.strip())
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return china_date(aware)
    return value if isinstance(value, date) else None


def _parse_iso(text: str) -> date | datetime | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None
