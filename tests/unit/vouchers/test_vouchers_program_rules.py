"""Opening a program and issuing vouchers: every reason an operator can be refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

import pytest

from services.vouchers.domain.errors import RuleViolation, raise_if_any
from services.vouchers.domain.issuance_rules import check_issuance
from services.vouchers.domain.program_rules import check_program
from tests.support.vouchers.rules_helpers import NOW, PROGRAM, REGIONS, SMALL_FIRM, codes


def test_valid_program_passes():
    assert check_program(PROGRAM, REGIONS) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"name": "  "}, ("name", "required")),
        ({"year": 1999}, ("year", "out_of_range")),
        ({"budget_fen": 0}, ("budget_fen", "must_be_positive")),
        ({"budget_fen": 10**16}, ("budget_fen", "too_large")),
        ({"max_share_bp": 0}, ("max_share_bp", "out_of_range")),
        ({"max_share_bp": 10_001}, ("max_share_bp", "out_of_range")),
        ({"cap_per_enterprise_fen": 0}, ("cap_per_enterprise_fen", "must_be_positive")),
        ({"cap_per_enterprise_fen": 10_000_001}, ("cap_per_enterprise_fen", "exceeds_budget")),
        ({"issuer_region": "SH"}, ("issuer_region", "unknown_region")),
        ({"recognized_regions": ()}, ("recognized_regions", "required")),
        ({"recognized_regions": ("BJ", "XX")}, ("recognized_regions[1]", "unknown_region")),
        ({"eligible_contract_types": ()}, ("eligible_contract_types", "required")),
        (
            {"eligible_contract_types": ("consulting", "sale.goods")},
            ("eligible_contract_types[1]", "unknown_contract_type"),
        ),
        ({"provider_catalog": ()}, ("provider_catalog", "empty_catalog")),
        (
            {"use_by": datetime(2027, 4, 1, tzinfo=PROGRAM.use_by.tzinfo)},
            ("use_by", "after_redeem_by"),
        ),
        (
            {"year": 2028, "redeem_by": datetime(2028, 1, 1, tzinfo=PROGRAM.use_by.tzinfo)},
            ("use_by", "before_program_year"),
        ),
        ({"redeem_by": datetime(2027, 3, 31)}, ("redeem_by", "timezone_required")),
    ],
)
def test_each_bad_program_field_is_named(change, expected):
    assert codes(check_program(replace(PROGRAM, **change), REGIONS)) == {expected}


def test_cap_equal_to_budget_is_allowed_and_full_share_is_allowed():
    program = replace(PROGRAM, cap_per_enterprise_fen=PROGRAM.budget_fen, max_share_bp=10_000)
    assert check_program(program, REGIONS) == []


def test_several_problems_are_reported_together():
    program = replace(PROGRAM, name="", budget_fen=-1, max_share_bp=0)
    assert {f for f, _ in codes(check_program(program, REGIONS))} == {
        "name",
        "budget_fen",
        "max_share_bp",
    }
    with pytest.raises(RuleViolation) as refused:
        raise_if_any(check_program(program, REGIONS))
    assert len(refused.value.errors) == 3


def issuance(amount_fen=100_000, enterprise=SMALL_FIRM, available=1_000_000, issued=0, now=NOW):
    return codes(
        check_issuance(
            PROGRAM,
            enterprise,
            amount_fen,
            budget_available_fen=available,
            enterprise_issued_fen=issued,
            now=now,
        )
    )


def test_valid_issuance_passes():
    assert issuance() == set()
    assert issuance(amount_fen=500_000) == set()  # exactly the cap
    assert issuance(amount_fen=100_000, available=100_000) == set()  # exactly the budget


def test_issuance_reasons():
    assert issuance(available=99_999) == {("amount_fen", "over_budget")}
    assert issuance(issued=400_001) == {("amount_fen", "over_enterprise_cap")}
    assert issuance(amount_fen=0) == {("amount_fen", "must_be_positive")}
    assert issuance(now=PROGRAM.use_by) == {("program_id", "after_use_by")}


def test_only_small_firms_of_the_issuing_region_receive_vouchers():
    outsider = replace(SMALL_FIRM, region="BJ")
    large = replace(SMALL_FIRM, small_firm=False)
    assert issuance(enterprise=outsider) == {("enterprise_org_id", "not_of_issuing_region")}
    assert issuance(enterprise=large) == {("enterprise_org_id", "not_small_firm")}
    both = replace(SMALL_FIRM, org_id=UUID(int=5), region="TJ", small_firm=False)
    assert len(issuance(enterprise=both)) == 2
