"""Recognising registration numbers (production, domain.registration_no) and the reference
formatting the SQL's numbers are checked against (tests/support/deals)."""

from datetime import date

import pytest

from services.deals.domain import (
    JINGJINJI,
    InvalidRegistrationNo,
    RegistrationNo,
    is_registration_no,
    parse_registration_no,
)
from tests.support.deals.reference_registration_no import (
    format_registration_no,
    formatted,
    registration_no_for,
)


def test_the_number_is_region_year_and_sequence():
    assert format_registration_no("110000", 2026, 1) == "1100002026000001"
    assert format_registration_no("130000", 2027, 999_999) == "1300002027999999"


def test_the_number_uses_the_seller_region_and_the_registration_year():
    hebei = JINGJINJI.find("HE")
    assert hebei is not None
    assert registration_no_for(hebei, date(2026, 12, 31), 42) == "1300002026000042"


def test_parsing_gives_back_the_parts():
    assert parse_registration_no("1200002026000317") == RegistrationNo("120000", 2026, 317)
    assert formatted(parse_registration_no("1200002026000317")) == "1200002026000317"


@pytest.mark.parametrize(("region", "year", "sequence"), [
    ("11000", 2026, 1),  # five-digit region
    ("011000", 2026, 1),  # GB/T 2260 codes do not start with 0
    ("110000", 1986, 1),  # before technology-contract registration existed
    ("110000", 2026, 0),  # sequences start at 000001
    ("110000", 2026, 1_000_000),  # a seventh digit would not fit
])
def test_parts_that_do_not_fit_are_refused(region, year, sequence):
    with pytest.raises(InvalidRegistrationNo):
        format_registration_no(region, year, sequence)


@pytest.mark.parametrize("text", [
    "110000202600001",  # 15 digits
    "11000020260000011",  # 17 digits
    "1100002026000000",  # sequence zero
    "110000-2026-000001",
    "1100002026000001\n",  # a trailing newline is not part of a number
    "１１００００２０２６００００１",  # full-width digits
    "",
])
def test_malformed_numbers_are_not_registration_numbers(text):
    assert not is_registration_no(text)
    with pytest.raises(InvalidRegistrationNo):
        parse_registration_no(text)


def test_a_well_formed_number_is_a_registration_number():
    assert is_registration_no("1300002026000001")
