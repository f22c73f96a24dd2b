"""China calendar dates: UTC+8 all year."""

from __future__ import annotations

from datetime import UTC, date, datetime

from shared.china_time import china_date, end_of_china_day, last_china_day_before


def test_the_china_date_turns_at_16_00_utc() -> None:
    assert china_date(datetime(2026, 12, 5, 15, 59, tzinfo=UTC)) == date(2026, 12, 5)
    assert china_date(datetime(2026, 12, 5, 16, 0, tzinfo=UTC)) == date(2026, 12, 6)


def test_a_day_ends_at_the_next_midnight_in_china() -> None:
    end = end_of_china_day(date(2026, 12, 31))
    assert end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)
    assert last_china_day_before(end) == date(2026, 12, 31)
