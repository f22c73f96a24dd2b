"""Unified social credit code (统一社会信用代码, GB 32100-2015).

Layout of the 18 characters:
  1      registration authority (登记管理部门), e.g. 9 = market regulation, 1 = 机构编制
  2      organisation type within that authority, e.g. 91 = enterprise, 12 = public institution
  3-8    administrative division of the registering office (GB/T 2260)
  9-17   organisation code (GB 11714); character 17 is that code's own check character
  18     check character over the first 17 (mod 31, weights 3^i mod 31)
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from services.listings.domain.problems import Problem

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Organisation-type characters each registration authority may use (GB 32100-2015, annex).
AUTHORITY_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制: 机关, 事业单位, 群众团体, 其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商/市场监管: 企业, 个体工商户, 农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业: 集体经济组织
    "Y": "1",  # 其他
}

# Province prefixes of GB/T 2260, plus 10 used by central-level registrations (100000).
_PROVINCE_PREFIXES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)

_MESSAGES = {
    "empty": "the credit code is empty",
    "length": "a credit code has exactly 18 characters",
    "charset": "only digits and the letters A-Y without I, O, S, V, Z are allowed",
    "registration_authority": "unknown registration authority (character 1)",
    "organisation_type": "organisation type (character 2) not used by that authority",
    "division": "characters 3-8 are not an administrative division code",
    "organisation_code_check": "wrong check character of the organisation code (character 17)",
    "check_character": "wrong check character (character 18)",
}


@dataclass(frozen=True)
class CreditCodeCheck:
    """Outcome of validating one credit code; ``code`` is the normalised form."""

    code: str
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def division(self) -> str:
        """GB/T 2260 code of the registering office (only meaningful when ok)."""
        return self.code[2:8]

    @property
    def province_prefix(self) -> str:
        """11 Beijing, 12 Tianjin, 13 Hebei...; informative, not tied to the listing region."""
        return self.code[2:4]


def normalise_credit_code(raw: str) -> str:
    # People paste codes with spaces, hyphens, lower case or full-width characters.
    folded = unicodedata.normalize("NFKC", raw).upper()
    return "".join(ch for ch in folded if ch not in " -\t")


def credit_code_check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def organization_code_check_character(first8: str) -> str:
    """GB 11714 check character: digits count 0-9, letters A=10 ... Z=35."""
    total = sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


# The seed data of `techmarket` and the deals bench import it by its British name; to go
# when they use the one above.


def make_credit_code(body17: str) -> str:
    """Append the check character to 17 valid characters (used by the demonstration seed)."""
    body = normalise_credit_code(body17)
    if len(body) != 17 or any(ch not in _VALUE for ch in body):
        raise ValueError(f"not 17 credit-code characters: {body17!r}")
    return body + credit_code_check_character(body)


def check_credit_code(raw: str) -> CreditCodeCheck:
    code = normalise_credit_code(raw)
    reason = _first_problem(code)
    if reason is None:
        return CreditCodeCheck(code)
    return CreditCodeCheck(code, Problem(reason, _MESSAGES[reason]))


def _first_problem(code: str) -> str | None:
    # Structure first, check characters last: a structural fault explains more to the user.
    if not code:
        return "empty"
    if len(code) != 18:
        return "length"
    if any(ch not in _VALUE for ch in code):
        return "charset"
    allowed_types = AUTHORITY_TYPES.get(code[0])
    if allowed_types is None:
        return "registration_authority"
    if code[1] not in allowed_types:
        return "organisation_type"
    if not code[2:8].isdigit() or code[2:4] not in _PROVINCE_PREFIXES:
        return "division"
    if organization_code_check_character(code[8:16]) != code[16]:
        return "organisation_code_check"
    if credit_code_check_character(code[:17]) != code[17]:
        return "check_character"
    return None
