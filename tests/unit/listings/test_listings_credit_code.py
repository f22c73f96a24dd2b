"""Unified social credit codes as an organisation registration would receive them."""

import pytest

from services.listings.domain.credit_code import (
    ALPHABET,
    check_credit_code,
    credit_code_check_character,
    make_credit_code,
    organization_code_check_character,
)

# Codes published on real business licences (enterprises, central public institutions).
REAL_CODES = [
    "9144030071526726XG",
    "91330100716105852F",
    "12100000400000624D",
    "91110000600037341L",
    "91110108MA01G0FB09",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_accepted(code: str) -> None:
    check = check_credit_code(code)
    assert check.ok, check.problem
    assert check.code == code


def test_spacing_case_and_full_width_are_normalised() -> None:
    check = check_credit_code(" 9144 0300-7152 6726xg ")
    assert check.ok
    assert check.code == "9144030071526726XG"
    assert check_credit_code("９１４４０３００７１５２６７２６ＸＧ").code == "9144030071526726XG"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("9144030071526726X", "length"),
        ("9144030071526726XGG", "length"),
        ("9144030071526726IG", "charset"),  # I is never used
        ("9144030071526O26XG", "charset"),
        ("B144030071526726XG", "registration_authority"),
        ("9544030071526726XG", "organisation_type"),  # market regulation has no type 5
        ("91AB030071526726XG", "division"),
        ("9199030071526726XG", "division"),  # no province 99
        ("9144030071526726XH", "check_character"),
    ],
)
def test_each_fault_is_named(raw: str, reason: str) -> None:
    check = check_credit_code(raw)
    assert not check.ok
    assert check.problem is not None
    assert check.problem.code == reason


def test_wrong_organization_code_check_is_caught_even_with_a_matching_final_character() -> None:
    forged = make_credit_code("9144030071526726" + "3")  # 17th should be X
    assert check_credit_code(forged).problem.code == "organisation_code_check"  # type: ignore[union-attr]


def test_every_single_character_typo_is_detected() -> None:
    code = "91110108MA01G0FB09"
    for position in range(18):
        for char in ALPHABET:
            if char == code[position]:
                continue
            typo = code[:position] + char + code[position + 1 :]
            assert not check_credit_code(typo).ok, typo


def test_check_characters_follow_the_standards() -> None:
    assert organization_code_check_character("71526726") == "X"  # GB 11714: 10 -> X
    assert organization_code_check_character("60003734") == "1"
    assert credit_code_check_character("9144030071526726X") == "G"


def test_make_credit_code_appends_the_check_character() -> None:
    assert make_credit_code("9144030071526726X") == "9144030071526726XG"
    assert make_credit_code("12100000400000624") == "12100000400000624D"
    with pytest.raises(ValueError):
        make_credit_code("914403007152672")
    with pytest.raises(ValueError):
        make_credit_code("9144030071526726I")


def test_division_and_province_prefix_are_exposed() -> None:
    check = check_credit_code("91110108MA01G0FB09")
    assert check.division == "110108"
    assert check.province_prefix == "11"
