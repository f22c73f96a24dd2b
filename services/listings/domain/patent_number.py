"""Chinese patent application and patent numbers (CNIPA).

Since 1 October 2003 an application number has 12 digits: year (4), type (1), serial (7);
before, 8 digits: year (2), type (1), serial (5). Type: 1 invention, 2 utility model,
3 design, 8 PCT invention entering China, 9 PCT utility model entering China.
A check character follows, usually after a dot: the weighted sum of the digits with
weights 2,3,...,9 repeating, modulo 11; 10 is written X. A granted patent is cited as
"ZL" + its application number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import cycle

from services.listings.domain.problems import Problem

PATENT_TYPES: dict[str, str] = {
    "1": "invention",
    "2": "utility_model",
    "3": "design",
    "8": "pct_invention",
    "9": "pct_utility_model",
}
FIRST_TWELVE_DIGIT_YEAR = 2003
_OLD_FORM_YEARS = frozenset(f"{y:02d}" for y in (*range(85, 100), *range(0, 4)))
_SHAPE = re.compile(r"(?P<prefix>ZL|CN)?(?P<digits>\d{8}|\d{12})(?P<dot>\.?)(?P<check>[0-9X]?)")


@dataclass(frozen=True)
class PatentNumber:
    digits: str
    check: str
    granted: bool

    @property
    def application_number(self) -> str:
        return f"{self.digits}.{self.check}"

    @property
    def patent_type(self) -> str:
        return PATENT_TYPES[self.digits[4] if len(self.digits) == 12 else self.digits[2]]

    def display(self) -> str:
        return ("ZL" if self.granted else "") + self.application_number


def mod11_check_character(digits: str) -> str:
    """CNIPA check character, shared by patent and IC layout design numbers."""
    remainder = sum(int(d) * w for d, w in zip(digits, cycle(range(2, 10)))) % 11
    return "X" if remainder == 10 else str(remainder)


def make_application_number(year: int, patent_type: str, serial: int) -> str:
    """Twelve-digit application number with its check character, e.g. 201720001285.X."""
    if patent_type not in PATENT_TYPES or not FIRST_TWELVE_DIGIT_YEAR <= year <= 9999:
        raise ValueError(f"no 12-digit application number for {year}/{patent_type}")
    if not 0 <= serial <= 9_999_999:
        raise ValueError(f"serial out of range: {serial}")
    digits = f"{year:04d}{patent_type}{serial:07d}"
    return f"{digits}.{mod11_check_character(digits)}"


def parse_patent_number(raw: str) -> PatentNumber | Problem:
    """Read any usual spelling (ZL 2017 2 0001285.X, 201720001285X, CN...) or say why not."""
    text = "".join(unicodedata.normalize("NFKC", raw).upper().split())
    match = _SHAPE.fullmatch(text)
    if match is None:
        return Problem("format", "not a Chinese patent (application) number")
    digits, check = match["digits"], match["check"]
    problem = _structure_problem(digits) or _check_problem(digits, check, match["dot"])
    if problem is not None:
        return problem
    return PatentNumber(digits, check, granted=match["prefix"] == "ZL")


def _structure_problem(digits: str) -> Problem | None:
    if len(digits) == 12:
        year_ok = int(digits[:4]) >= FIRST_TWELVE_DIGIT_YEAR
        type_digit = digits[4]
    else:
        year_ok = digits[:2] in _OLD_FORM_YEARS
        type_digit = digits[2]
    if not year_ok:
        return Problem("year", "the year in the number is not possible for its length")
    if type_digit not in PATENT_TYPES:
        return Problem("patent_type", f"unknown patent type digit {type_digit}")
    return None


def _check_problem(digits: str, check: str, dot: str) -> Problem | None:
    if not check:
        code = "format" if dot else "missing_check_character"
        return Problem(code, "the check character after the digits is missing")
    if mod11_check_character(digits) != check:
        return Problem("check_character", "wrong check character")
    return None
