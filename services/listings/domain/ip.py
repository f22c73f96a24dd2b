"""Intellectual-property items attached to an offer, validated by kind."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from services.listings.domain.patent_number import (
    PatentNumber,
    mod11_check_character,
    parse_patent_number,
)
from services.listings.domain.problems import Problem

IP_KINDS = (
    "patent",
    "patent_application",
    "software_copyright",
    "ic_layout",
    "plant_variety",
    "trade_secret",
)

# 2019SR0123456: year of registration, SR, serial (5 digits in early years, 7 today).
_SOFTWARE = re.compile(r"(?P<year>\d{4})SR(?P<serial>\d{5,7})")
# BS.185559220: CNIPA layout-design number, 8 digits (YY + 5 + serial) and a mod-11 check.
_LAYOUT = re.compile(r"(?:BS\.?)?(?P<digits>\d{8})\.?(?P<check>[0-9X])")
# CNA20080376.X (year + 4-digit serial + check) or the longer CNA20191006012.
_VARIETY = re.compile(r"(?P<cna>CNA)?(?:(?P<short>\d{8})(?:\.(?P<check>[0-9X]))?|(?P<long>\d{11}))")
_FIRST_SOFTWARE_YEAR = 1992
_FIRST_VARIETY_YEAR = 1997


@dataclass(frozen=True)
class IpNumberCheck:
    """``number`` is the normalised number (None for a trade secret or when refused)."""

    number: str | None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def check_ip_number(kind: str, raw: str | None) -> IpNumberCheck:
    if kind not in IP_KINDS:
        return IpNumberCheck(None, Problem("unknown", f"unknown IP kind {kind!r}"))
    text = _compact(raw or "")
    if kind == "trade_secret":
        if text:
            return _refused("must_be_empty", "a trade secret is not registered: give no number")
        return IpNumberCheck(None)
    if not text:
        return _refused("required", "the registration number is required for this kind")
    return _CHECKERS[kind](text)


def _compact(raw: str) -> str:
    return "".join(unicodedata.normalize("NFKC", raw).upper().split())


def _refused(code: str, message: str) -> IpNumberCheck:
    return IpNumberCheck(None, Problem(code, message))


def _patent(text: str, *, granted: bool) -> IpNumberCheck:
    parsed = parse_patent_number(text)
    if isinstance(parsed, Problem):
        return IpNumberCheck(None, parsed)
    if parsed.granted and not granted:
        return _refused("kind_mismatch", "ZL marks a granted patent: use kind patent")
    # A granted patent is often quoted by its bare application number: store it with ZL.
    normalised = PatentNumber(parsed.digits, parsed.check, granted=granted)
    return IpNumberCheck(normalised.display())


def _software_copyright(text: str) -> IpNumberCheck:
    match = _SOFTWARE.fullmatch(text)
    if match is None:
        return _refused("format", "expected a registration number like 2019SR0123456")
    if int(match["year"]) < _FIRST_SOFTWARE_YEAR:
        return _refused("year", "software registration started in 1992")
    return IpNumberCheck(text)


def _ic_layout(text: str) -> IpNumberCheck:
    match = _LAYOUT.fullmatch(text)
    if match is None:
        return _refused("format", "expected a layout-design number like BS.185559220")
    digits, check = match["digits"], match["check"]
    if mod11_check_character(digits) != check:
        return _refused("check_character", "wrong check character")
    return IpNumberCheck(f"BS.{digits}{check}")


def _plant_variety(text: str) -> IpNumberCheck:
    match = _VARIETY.fullmatch(text)
    if match is None:
        return _refused("format", "expected a variety-right number like CNA20080376.X")
    digits = match["short"] or match["long"]
    if int(digits[:4]) < _FIRST_VARIETY_YEAR:
        return _refused("year", "plant variety rights exist since 1997")
    check = match["check"]
    if check and mod11_check_character(digits) != check:
        return _refused("check_character", "wrong check character")
    prefix = match["cna"] or ""
    return IpNumberCheck(f"{prefix}{digits}.{check}" if check else f"{prefix}{digits}")


_CHECKERS: dict[str, Callable[[str], IpNumberCheck]] = {
    "patent": lambda text: _patent(text, granted=True),
    "patent_application": lambda text: _patent(text, granted=False),
    "software_copyright": _software_copyright,
    "ic_layout": _ic_layout,
    "plant_variety": _plant_variety,
}


def make_layout_design_number(year: int, serial: int) -> str:
    """A layout-design registration number for the demonstration seed."""
    digits = f"{year % 100:02d}5{serial:05d}"
    return f"BS.{digits}{mod11_check_character(digits)}"


def make_variety_right_number(year: int, serial: int) -> str:
    """An agricultural variety-right number (CNA + year + serial . check) for the seed."""
    digits = f"{year:04d}{serial:04d}"
    return f"CNA{digits}.{mod11_check_character(digits)}"
