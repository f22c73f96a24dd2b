"""Registration days are Beijing days: they decide the date and the number's year."""

from datetime import UTC, date, datetime

from services.deals.use_cases.lifecycle import registration_day


def test_new_year_comes_eight_hours_early() -> None:
    assert registration_day(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert registration_day(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)
