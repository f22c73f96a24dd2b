"""Registration numbers: seller region (6) + year (4) + sequence (6), e.g. 1100002026000001.

The database allocates the sequence gap-free per region and year and writes the number, in
the registering statement (services/deals/repository/registrations.py): that SQL is the one
place a number is made. This module recognises one (GET /registrations/{no} refuses a
malformed number before any query); tests/support/deals/reference_registration_no.py is the
reference the tests check the SQL's numbers against.
"""

import re
from dataclasses import dataclass

# [0-9], not \d: \d also matches full-width and other Unicode digits.
_NUMBER = re.compile(r"([1-9][0-9]{5})([0-9]{4})([0-9]{6})")
_REGION_CODE = re.compile(r"[1-9][0-9]{5}")
FIRST_SEQUENCE = 1
LAST_SEQUENCE = 999_999
# Registration began under the 1987 Technology Contract Law: earlier years are not genuine.
FIRST_YEAR = 1987


class InvalidRegistrationNo(ValueError):
    pass


@dataclass(frozen=True)
class RegistrationNo:
    """The parts of a registration number."""

    region_code: str
    year: int
    sequence: int


def parse_registration_no(text: str) -> RegistrationNo:
    match = _NUMBER.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidRegistrationNo(
            f"{text!r} is not a registration number: 16 digits, region + year + sequence")
    region_code, year, sequence = match.group(1), int(match.group(2)), int(match.group(3))
    check_parts(region_code, year, sequence)
    return RegistrationNo(region_code, year, sequence)


def is_registration_no(text: str) -> bool:
    try:
        parse_registration_no(text)
    except InvalidRegistrationNo:
        return False
    return True


def check_parts(region_code: str, year: int, sequence: int) -> None:
    if not _REGION_CODE.fullmatch(region_code):
        raise InvalidRegistrationNo(f"region code {region_code!r} is not a GB/T 2260 code")
    if not FIRST_YEAR <= year <= 9999:
        raise InvalidRegistrationNo(f"year {year} is out of range")
    if not FIRST_SEQUENCE <= sequence <= LAST_SEQUENCE:
        raise InvalidRegistrationNo(
            f"sequence {sequence} is outside {FIRST_SEQUENCE}..{LAST_SEQUENCE}")
