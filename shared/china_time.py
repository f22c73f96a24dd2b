"""Dates in the market are Beijing calendar dates: China keeps UTC+8 all year (no DST).

Pure Python, so services' domain rules may use it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")


def china_date(instant: datetime) -> date:
    """The calendar date in China at `instant` (an aware datetime)."""
    return instant.astimezone(CHINA_STANDARD_TIME).date()


def today_in_china() -> date:
    return datetime.now(CHINA_STANDARD_TIME).date()


def end_of_china_day(day: date) -> datetime:
    """The instant a China calendar day ends: the next midnight in China (exclusive)."""
    return datetime.combine(day + timedelta(days=1), time(), CHINA_STANDARD_TIME)


def last_china_day_before(instant: datetime) -> date:
    """The last China calendar day on which an exclusive deadline `instant` still allows
    the action."""
    return china_date(instant - timedelta(microseconds=1))
