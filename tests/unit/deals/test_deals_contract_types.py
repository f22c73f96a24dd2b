import pytest

from services.deals.domain import (
    CONTRACT_TYPES,
    DeductionKind,
    Family,
    IpKind,
    UnknownContractType,
    contract_type,
    find_contract_type,
)
from services.deals.domain.contract_types import types_fitting_ip


def test_the_thirteen_civil_code_types_are_known():
    assert sorted(CONTRACT_TYPES) == sorted([
        "development.commissioned", "development.cooperative",
        "transfer.patent", "transfer.patent_application", "transfer.technical_secret",
        "transfer.other_ip", "license.patent", "license.technical_secret", "license.other_ip",
        "consulting", "service.technical", "service.intermediary", "service.training",
    ])


@pytest.mark.parametrize(("code", "name_zh"), [
    ("development.commissioned", "技术开发合同(委托开发)"),
    ("development.cooperative", "技术开发合同(合作开发)"),
    ("transfer.patent", "技术转让合同(专利权转让)"),
    ("license.technical_secret", "技术许可合同(技术秘密使用许可)"),
    ("consulting", "技术咨询合同"),
    ("service.training", "技术培训合同"),
])
def test_types_carry_their_chinese_names(code, name_zh):
    assert contract_type(code).name_zh == name_zh


@pytest.mark.parametrize(("code", "kinds"), [
    ("transfer.patent", {"patent"}),
    ("license.patent", {"patent"}),
    ("transfer.patent_application", {"patent_application"}),
    ("transfer.technical_secret", {"trade_secret"}),
    ("license.technical_secret", {"trade_secret"}),
    ("transfer.other_ip", {"software_copyright", "ic_layout", "plant_variety"}),
    ("license.other_ip", {"software_copyright", "ic_layout", "plant_variety"}),
    ("development.commissioned", set()),
    ("development.cooperative", set()),
    ("consulting", set()),
    ("service.technical", set()),
    ("service.intermediary", set()),
    ("service.training", set()),
])
def test_each_type_requires_the_ip_it_is_about(code, kinds):
    kind = contract_type(code)
    assert set(kind.required_ip_kinds) == kinds
    assert kind.requires_ip == bool(kinds)


def test_the_family_is_the_part_before_the_dot():
    for code, kind in CONTRACT_TYPES.items():
        assert kind.family == Family(code.split(".")[0])


def test_only_non_technical_purchases_are_deductible():
    assert set(DeductionKind) == {"equipment", "instruments", "parts", "raw_materials"}


def test_an_unknown_type_is_refused_by_contract_type_and_absent_from_find():
    with pytest.raises(UnknownContractType):
        contract_type("license.know_how")
    assert find_contract_type("license.know_how") is None


def test_types_fitting_ip_points_software_to_other_ip():
    fitting = types_fitting_ip(frozenset({IpKind.SOFTWARE_COPYRIGHT}), Family.LICENSE)
    assert [t.code for t in fitting] == ["license.other_ip"]


def test_no_license_type_fits_a_patent_application():
    assert types_fitting_ip(frozenset({"patent_application"}), Family.LICENSE) == []
    assert [t.code for t in types_fitting_ip(frozenset({"patent_application"}))] == [
        "transfer.patent_application"]
