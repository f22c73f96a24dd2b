from dataclasses import replace
from datetime import date

import pytest

from services.deals.domain import (
    JINGJINJI,
    Deduction,
    FailureCode,
    Outcome,
    Party,
    Region,
    RegionBook,
    assess,
    rules_for,
)

EVE, FIRST_DAY = date(2026, 2, 28), date(2026, 3, 1)


def _signed(contract, signed_on, tech_amount_fen, deducted_fen=50_000_000):
    """The fixture contract signed on a given day with a given technology amount."""
    return replace(
        contract, signed_on=signed_on, valid_from=signed_on,
        total_fen=tech_amount_fen + deducted_fen,
        deductions=(Deduction("中试生产线设备", "equipment", deducted_fen),),
    )


def test_a_clean_contract_registers_at_once(contract, today):
    assessment = assess(contract, today)
    assert assessment.outcome is Outcome.REGISTER
    assert assessment.failures == ()
    assert assessment.tech_amount_fen == 100_000_000
    assert not assessment.refused


def test_every_failure_is_reported_together(contract, today):
    broken = replace(
        contract,
        buyer=contract.seller,
        subject="",
        deductions=(Deduction("设备", "equipment", 130_000_000),),
        valid_until=date(2026, 3, 31),
        ip_items=(),
        document_sha256=None,
        already_registered=True,
    )
    assessment = assess(broken, today)
    assert assessment.outcome is Outcome.REFUSED
    assert [(f.code, f.field) for f in assessment.failures] == [
        (FailureCode.UNCLEAR_PARTIES, "buyer_org_id"),
        (FailureCode.UNCLEAR_SUBJECT, "subject"),
        (FailureCode.UNCLEAR_PRICE, "deductions"),
        (FailureCode.NOT_IN_FORCE, "valid_until"),
        (FailureCode.MISSING_IP, "ip"),
        (FailureCode.MISSING_DOCUMENTS, "document_sha256"),
        (FailureCode.ALREADY_REGISTERED, "registration_no"),
    ]
    assert assessment.tech_amount_fen == -10_000_000


def test_a_failure_reads_as_a_problem_json_error(contract, today):
    [failure] = assess(replace(contract, document_sha256=None), today).failures
    assert failure.as_error() == {
        "field": "document_sha256", "code": "missing_documents", "message": failure.message}


def test_rules_are_chosen_by_the_signing_date():
    assert rules_for(EVE).name == "initial"
    assert rules_for(EVE).expert_review_from_fen is None
    assert rules_for(FIRST_DAY).name == "2026"
    assert rules_for(FIRST_DAY).expert_review_from_fen == 500_000_000
    assert rules_for(date(2031, 1, 1)).name == "2026"


def test_before_2026_03_01_even_a_large_contract_registers_at_once(contract, today):
    assessment = assess(_signed(contract, EVE, 900_000_000), today)
    assert (assessment.outcome, assessment.rule_set) == (Outcome.REGISTER, "initial")


def test_from_2026_03_01_five_million_yuan_goes_to_expert_review(contract, today):
    assessment = assess(_signed(contract, FIRST_DAY, 500_000_000), today)
    assert (assessment.outcome, assessment.rule_set) == (Outcome.EXPERT_REVIEW, "2026")


def test_one_fen_below_five_million_yuan_registers_at_once(contract, today):
    assert assess(_signed(contract, FIRST_DAY, 499_999_999), today).outcome is Outcome.REGISTER


def test_the_threshold_applies_to_the_tech_amount_not_the_total(contract, today):
    big_total = _signed(contract, FIRST_DAY, 499_999_999, deducted_fen=300_000_000)
    assert big_total.total_fen > 500_000_000
    assert assess(big_total, today).outcome is Outcome.REGISTER


def test_a_refused_large_contract_is_not_sent_to_experts(contract, today):
    large = replace(_signed(contract, FIRST_DAY, 800_000_000), document_sha256="")
    assert assess(large, today).outcome is Outcome.REFUSED


def test_amounts_that_are_not_fen_refuse_without_a_tech_amount(contract, today):
    assessment = assess(replace(contract, total_fen=1.5e8), today)  # type: ignore[arg-type]
    assert assessment.outcome is Outcome.REFUSED
    assert assessment.tech_amount_fen is None


def test_a_region_added_as_data_is_recognised():
    shanghai = Region("310000", "SH", "上海市", "Shanghai")
    book = RegionBook([Region("110000", "BJ", "北京市", "Beijing"), shanghai])
    assert book.find("sh") == shanghai and book.find("310000") == shanghai


@pytest.mark.parametrize(("book", "outcome"), [
    (JINGJINJI, Outcome.REFUSED),
    (RegionBook([Region("110000", "BJ", "北京市", "Beijing"),
                 Region("310000", "SH", "上海市", "Shanghai")]), Outcome.REGISTER),
])
def test_assess_judges_regions_by_the_book_it_is_given(contract, book, outcome, today):
    to_shanghai = replace(contract, buyer=Party("org-sh", "上海某公司", "SH"))
    assert assess(to_shanghai, today, regions=book).outcome is outcome
