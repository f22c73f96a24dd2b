"""Helpers every listings use case needs: regions, Beijing's today, domain refusals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from services.listings.domain import problems
from shared.china_time import today_in_china
from shared.db import Db
from shared.errors import FieldError, Unprocessable
from shared.regions import resolve_region


async def region_short_code(db: Db, given: str, field: str) -> str:
    region = await resolve_region(db, given)
    if region is None:
        raise Unprocessable(f"unknown region {given!r}",
                            [FieldError(field, "unknown region", "unknown_region")])
    return region.short_code


def now() -> datetime:
    return datetime.now(UTC)


def beijing_today() -> date:
    """Validity dates and deadlines are Beijing calendar dates (domain.lifecycle)."""
    return today_in_china()


def refuse(detail: str, found: Sequence[problems.FieldError]) -> None:
    """Raise the domain's refusals as one 422 naming every field; nothing when empty."""
    if found:
        raise Unprocessable(detail, [FieldError(e.field, e.message, e.code) for e in found])


def unknown_organization(field: str) -> Unprocessable:
    return Unprocessable("the organisation is not registered",
                         [FieldError(field, "no organisation with this id",
                                     "unknown_organization")])
