from dataclasses import replace

import pytest

from services.deals.domain import FailureCode, Party
from services.deals.domain.rules import check_parties, check_subject


def _found(failures):
    return [(f.code, f.field) for f in failures]


def test_distinct_named_parties_of_known_regions_are_clear(contract, context):
    assert check_parties(contract, context) == []


def test_gb_codes_identify_regions_as_well_as_short_codes(contract, context):
    seller = replace(contract.seller, region="110000")
    assert check_parties(replace(contract, seller=seller), context) == []


@pytest.mark.parametrize("role", ["seller", "buyer"])
def test_a_missing_party_is_unclear(contract, context, role):
    failures = check_parties(replace(contract, **{role: None}), context)
    assert _found(failures) == [(FailureCode.UNCLEAR_PARTIES, f"{role}_org_id")]


def test_a_party_without_an_id_counts_as_missing(contract, context):
    failures = check_parties(replace(contract, buyer=Party(" ", "某公司", "TJ")), context)
    assert _found(failures) == [(FailureCode.UNCLEAR_PARTIES, "buyer_org_id")]


def test_seller_and_buyer_cannot_be_the_same_organization(contract, context):
    failures = check_parties(replace(contract, buyer=contract.seller), context)
    assert _found(failures) == [(FailureCode.UNCLEAR_PARTIES, "buyer_org_id")]
    assert "same organisation" in failures[0].message


def test_a_region_outside_the_region_book_is_unclear(contract, context):
    buyer = replace(contract.buyer, region="SH")
    failures = check_parties(replace(contract, buyer=buyer), context)
    assert _found(failures) == [(FailureCode.UNCLEAR_PARTIES, "buyer_region")]


def test_a_nameless_party_is_unclear(contract, context):
    seller = replace(contract.seller, name="")
    failures = check_parties(replace(contract, seller=seller), context)
    assert _found(failures) == [(FailureCode.UNCLEAR_PARTIES, "seller_name")]


def test_a_clear_chinese_subject_of_the_right_kind_passes(contract, context):
    assert check_subject(contract, context) == []


@pytest.mark.parametrize("subject", ["", "   ", "——，。"])
def test_a_subject_without_content_is_unclear(contract, context, subject):
    failures = check_subject(replace(contract, subject=subject), context)
    assert _found(failures) == [(FailureCode.UNCLEAR_SUBJECT, "subject")]


def test_ten_characters_are_enough_and_nine_are_not(contract, context):
    nine = replace(contract, contract_type="consulting", subject="锂电池正极材料配方")
    ten = replace(contract, contract_type="consulting", subject="锂电池正极材料配方优")
    assert _found(check_subject(nine, context)) == [(FailureCode.UNCLEAR_SUBJECT, "subject")]
    assert check_subject(ten, context) == []


def test_punctuation_and_spaces_do_not_count_towards_the_minimum(contract, context):
    padded = replace(contract, contract_type="consulting", subject="  锂电池， 正极。材料 配方！ ")
    assert _found(check_subject(padded, context)) == [(FailureCode.UNCLEAR_SUBJECT, "subject")]


def test_a_subject_naming_only_another_kind_contradicts_the_type(contract, context):
    training = replace(contract, contract_type="service.training",
                       subject="新能源汽车电池管理系统专利权转让")
    failures = check_subject(training, context)
    assert _found(failures) == [(FailureCode.UNCLEAR_SUBJECT, "subject")]
    assert "transfer" in failures[0].message and "service.training" in failures[0].message


def test_a_subject_naming_its_own_kind_too_is_not_a_contradiction(contract, context):
    development = replace(contract, contract_type="development.commissioned",
                          subject="委托开发工业机器人视觉定位系统并提供技术培训")
    assert check_subject(development, context) == []


def test_a_subject_naming_no_kind_at_all_is_fine(contract, context):
    plain = replace(contract, contract_type="license.patent", subject="高镍三元正极材料制备方法")
    assert check_subject(plain, context) == []
