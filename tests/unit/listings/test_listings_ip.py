"""IP numbers as brokers type them into an offer."""

import pytest

from services.listings.domain.ip import (
    check_ip_number,
    make_layout_design_number,
    make_variety_right_number,
)
from services.listings.domain.patent_number import (
    PatentNumber,
    make_application_number,
    mod11_check_character,
    parse_patent_number,
)


@pytest.mark.parametrize(
    "raw",
    [
        "ZL201720001285.X",
        "201720001285X",
        "ZL 2017 2 0001285.X",
        "zl201720001285.x",
        "ＺＬ201720001285.X",
    ],
)
def test_the_patent_of_the_issue_is_valid_in_every_spelling(raw: str) -> None:
    check = check_ip_number("patent", raw)
    assert check.ok, check.problem
    assert check.number == "ZL201720001285.X"


def test_application_numbers_are_stored_without_zl() -> None:
    check = check_ip_number("patent_application", "CN 201720001285 X")
    assert check.number == "201720001285.X"


def test_the_cnipa_standard_example_and_its_typo() -> None:
    assert check_ip_number("patent_application", "200310102344.5").ok
    typo = check_ip_number("patent_application", "200310102344.6")
    assert typo.problem is not None and typo.problem.code == "check_character"


def test_pre_2003_eight_digit_numbers_have_their_own_check() -> None:
    # 98 1 23456: 9*2+8*3+1*4+2*5+3*6+4*7+5*8+6*9 = 196, 196 mod 11 = 9
    assert check_ip_number("patent", "ZL98123456.9").number == "ZL98123456.9"
    assert check_ip_number("patent", "ZL98123456.8").problem.code == "check_character"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kind", "raw", "reason"),
    [
        ("patent", "ZL201720001285", "missing_check_character"),
        ("patent", "ZL201720001285.", "format"),
        ("patent", "ZL2017200012", "format"),
        ("patent", "ZL199920001285.1", "year"),  # 12 digits started in 2003
        ("patent", "ZL05123456.1", "year"),  # the 8-digit form ended in 2003
        ("patent", "ZL201740001285.1", "patent_type"),
        ("patent_application", "ZL201720001285.X", "kind_mismatch"),
        ("patent_application", "", "required"),
        ("software_copyright", "2019SR12", "format"),
        ("software_copyright", "1985SR0123456", "year"),
        ("ic_layout", "BS.185559221", "check_character"),
        ("ic_layout", "BS.1855592", "format"),
        ("plant_variety", "CNA20080376.1", "check_character"),
        ("plant_variety", "CNA19900376.1", "year"),
        ("trade_secret", "ZL201720001285.X", "must_be_empty"),
        ("trademark", "123", "unknown"),
    ],
)
def test_refusals_name_their_reason(kind: str, raw: str, reason: str) -> None:
    check = check_ip_number(kind, raw)
    assert not check.ok
    assert check.number is None
    assert check.problem is not None and check.problem.code == reason


def test_granted_patent_quoted_by_its_application_number_gets_zl() -> None:
    assert check_ip_number("patent", "201720001285.X").number == "ZL201720001285.X"


def test_software_copyright_is_normalised() -> None:
    assert check_ip_number("software_copyright", " 2019 sr 0123456 ").number == "2019SR0123456"
    assert check_ip_number("software_copyright", "2008SR12345").ok


def test_layout_design_numbers_carry_a_mod11_check() -> None:
    # BS.185559220 is a registration number quoted publicly; its last digit is the check.
    assert check_ip_number("ic_layout", "BS.185559220").number == "BS.185559220"
    assert check_ip_number("ic_layout", "bs 18555922.0").number == "BS.185559220"


def test_plant_variety_rights_old_and_new_forms() -> None:
    assert check_ip_number("plant_variety", "CNA20080376.X").number == "CNA20080376.X"
    assert check_ip_number("plant_variety", "CNA20191006012").number == "CNA20191006012"
    assert check_ip_number("plant_variety", "20170001").number == "20170001"


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_trade_secret_has_no_number(raw: str | None) -> None:
    check = check_ip_number("trade_secret", raw)
    assert check.ok and check.number is None


def test_makers_produce_numbers_the_validators_accept() -> None:
    assert make_application_number(2017, "2", 1285) == "201720001285.X"
    assert make_layout_design_number(2018, 55922) == "BS.185559220"
    assert make_variety_right_number(2008, 376) == "CNA20080376.X"
    with pytest.raises(ValueError):
        make_application_number(2001, "1", 1)
    with pytest.raises(ValueError):
        make_application_number(2020, "4", 1)


def test_mod11_maps_ten_to_x() -> None:
    assert mod11_check_character("201720001285") == "X"
    assert mod11_check_character("200310102344") == "5"


def test_parsed_patent_knows_its_type_and_grant() -> None:
    granted = parse_patent_number("ZL201720001285.X")
    assert isinstance(granted, PatentNumber)
    assert (granted.patent_type, granted.granted) == ("utility_model", True)
    old = parse_patent_number("98123456.9")
    assert isinstance(old, PatentNumber)
    assert (old.patent_type, old.granted, old.display()) == ("invention", False, "98123456.9")
