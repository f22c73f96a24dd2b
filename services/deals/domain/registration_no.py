"""Registration numbers: seller region (6) + year (4) + sequence (6), e.g. 1100002026000001.

The sequence is allocated gap-free per region and year by the database; this module only
formats and checks the number.
"""

import re
from dataclasses import dataclass
from datetime import date

from .regions import Region

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
    region_code: str
    year: int
    sequence: int

    def __str__(self) -> str:
        return f"{self.region_code}{self.year:04d}{self.sequence:06d}"


def format_registration_no(region_code: str, year: int, sequence: int) -> str:
    _check_parts(region_code, year, sequence)
    return str(RegistrationNo(region_code, year, sequence))


def registration_no_for(seller_region: Region, registered_on: date, sequence: int) -> str:
    """The number of a contract registered in the seller's region on the given day."""
    return format_registration_no(seller_region.code, registered_on.year, sequence)


def parse_registration_no(text: str) -> RegistrationNo:
    match = _NUMBER.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise InvalidRegistrationNo(
            f"{text!r} is not a registration number: 16 digits, region + year + sequence")
    region_code, year, sequence = match.group(1), int(match.group(2)), int(match.group(3))
    _check_parts(region_code, year, sequence)
    return RegistrationNo(region_code, year, sequence)


def is_registration_no(text: str) -> bool:
    try:
        parse_registration_no(text)
    except InvalidRegistrationNo:
        return False
    return True


def _check_parts(region_code: str, year: int, sequence: int) -> None:
    if not _REGION_CODE.fullmatch(region_code):
        raise InvalidRegistrationNo(f"region code {region_code!r} is not a GB/T 2260 code")
    if not FIRST_YEAR <= year <= 9999:
        raise InvalidRegistrationNo(f"year {year} is out of range")
    if not FIRST_SEQUENCE <= sequence <= LAST_SEQUENCE:
        raise InvalidRegistrationNo(
            f"sequence {sequence} is outside {FIRST_SEQUENCE}..{LAST_SEQUENCE}")
