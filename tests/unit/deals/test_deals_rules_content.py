from dataclasses import replace

import pytest

from services.deals.domain import FailureCode, IpItem
from services.deals.domain.rules_content import (
    check_documents,
    check_ip,
    check_not_registered,
    check_type_fits_content,
)


def _found(failures):
    return [(f.code, f.field) for f in failures]


@pytest.mark.parametrize(("code", "kind"), [
    ("transfer.patent", "patent"),
    ("license.patent", "patent"),
    ("transfer.patent_application", "patent_application"),
    ("transfer.technical_secret", "trade_secret"),
    ("license.technical_secret", "trade_secret"),
    ("transfer.other_ip", "ic_layout"),
    ("license.other_ip", "software_copyright"),
    ("license.other_ip", "plant_variety"),
])
def test_ip_of_the_right_kind_satisfies_the_type(contract, context, code, kind):
    fitting = replace(contract, contract_type=code, ip_items=(IpItem(kind, "X-1"),))
    assert check_ip(fitting, context) == []
    neutral = replace(fitting, subject="某项技术成果的实施与应用")
    assert check_type_fits_content(neutral, context) == []


@pytest.mark.parametrize(
    "code", ["transfer.patent", "license.technical_secret", "license.other_ip"])
def test_a_transfer_or_license_without_ip_is_missing_ip(contract, context, code):
    bare = replace(contract, contract_type=code, ip_items=())
    assert _found(check_ip(bare, context)) == [(FailureCode.MISSING_IP, "ip")]


def test_an_ip_item_without_a_number_does_not_count(contract, context):
    blank = replace(contract, ip_items=(IpItem("patent", "  "),))
    assert _found(check_ip(blank, context)) == [(FailureCode.MISSING_IP, "ip")]


@pytest.mark.parametrize("code", ["development.cooperative", "consulting", "service.intermediary"])
def test_development_consulting_and_service_need_no_ip(contract, context, code):
    assert check_ip(replace(contract, contract_type=code, ip_items=()), context) == []


def test_a_license_listing_only_ip_of_another_kind_is_a_type_mismatch(contract, context):
    wrong = replace(contract, contract_type="license.patent", subject="工业控制软件授权",
                    ip_items=(IpItem("software_copyright", "2024SR012345"),))
    failures = check_type_fits_content(wrong, context)
    assert _found(failures) == [(FailureCode.TYPE_MISMATCH, "ip")]
    assert "license.other_ip" in failures[0].message
    # The same contract also lacks the patent its type needs: both are said.
    assert _found(check_ip(wrong, context)) == [(FailureCode.MISSING_IP, "ip")]


def test_a_patent_application_mislabelled_as_license_points_to_its_transfer(contract, context):
    wrong = replace(contract, contract_type="license.patent", subject="高镍三元正极材料制备方法",
                    ip_items=(IpItem("patent_application", "202410001234.5"),))
    [failure] = check_type_fits_content(wrong, context)
    assert "transfer.patent_application" in failure.message


def test_one_fitting_item_among_others_is_no_mismatch(contract, context):
    mixed = replace(contract, ip_items=(IpItem("trade_secret", "TS-1"), IpItem("patent", "ZL1")))
    assert check_type_fits_content(mixed, context) == []


def test_a_training_contract_that_transfers_a_listed_patent_is_a_type_mismatch(contract, context):
    training = replace(contract, contract_type="service.training",
                       subject="新能源汽车电池管理系统专利权转让")
    failures = check_type_fits_content(training, context)
    assert _found(failures) == [(FailureCode.TYPE_MISMATCH, "type")]
    assert "transfer.patent" in failures[0].message


def test_a_license_whose_subject_says_transfer_and_ip_fits_a_transfer_is_a_mismatch(
    contract, context
):
    wrong = replace(contract, contract_type="license.patent")  # subject: ...专利权转让
    failures = check_type_fits_content(wrong, context)
    assert _found(failures) == [(FailureCode.TYPE_MISMATCH, "type")]
    assert "transfer.patent" in failures[0].message


def test_a_training_contract_merely_about_a_patent_is_no_mismatch(contract, context):
    training = replace(contract, contract_type="service.training",
                       subject="为乙方技术人员开展高镍正极材料制备工艺技术培训")
    assert check_type_fits_content(training, context) == []


def test_an_unknown_type_is_a_type_mismatch(contract, context):
    failures = check_type_fits_content(replace(contract, contract_type="lease"), context)
    assert _found(failures) == [(FailureCode.TYPE_MISMATCH, "type")]


@pytest.mark.parametrize("digest", [None, "", "   "])
def test_an_oral_contract_is_missing_documents(contract, context, digest):
    failures = check_documents(replace(contract, document_sha256=digest), context)
    assert _found(failures) == [(FailureCode.MISSING_DOCUMENTS, "document_sha256")]
    assert "oral" in failures[0].message


@pytest.mark.parametrize("digest", [
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a0",  # 63
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a088",  # 65
    "zf86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "contract.pdf",
])
def test_a_malformed_hash_is_missing_documents(contract, context, digest):
    failures = check_documents(replace(contract, document_sha256=digest), context)
    assert _found(failures) == [(FailureCode.MISSING_DOCUMENTS, "document_sha256")]


def test_a_sha256_in_either_case_is_a_document(contract, context):
    assert check_documents(contract, context) == []
    upper = replace(contract, document_sha256=contract.document_sha256.upper())
    assert check_documents(upper, context) == []


def test_a_contract_is_registered_only_once(contract, context):
    assert check_not_registered(contract, context) == []
    failures = check_not_registered(replace(contract, already_registered=True), context)
    assert _found(failures) == [(FailureCode.ALREADY_REGISTERED, "registration_no")]
