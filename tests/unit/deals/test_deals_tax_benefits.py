import pytest

from services.deals.domain import CONTRACT_TYPES, UnknownContractType, tax_benefits_for
from tests.support.deals.reference_tax_relief import CIT_EXEMPT_LIMIT_FEN, estimate_cit_relief


def _applicable(code):
    return {b.code: b.applicable for b in tax_benefits_for(code)}


@pytest.mark.parametrize(("code", "vat", "cit"), [
    ("transfer.patent", True, True),
    ("transfer.technical_secret", True, True),
    ("license.other_ip", True, True),
    ("development.commissioned", True, False),
    ("development.cooperative", True, False),
    ("consulting", True, False),
    ("service.technical", True, False),
    ("service.training", True, False),
    ("service.intermediary", False, False),
])
def test_each_type_may_unlock_its_benefits(code, vat, cit):
    assert _applicable(code) == {"vat_exemption": vat, "cit_transfer_income_relief": cit}


def test_every_type_lists_both_benefits_in_both_languages():
    for code in CONTRACT_TYPES:
        for benefit in tax_benefits_for(code):
            assert benefit.description_zh and benefit.description_en
            # The market never promises relief: the tax office decides.
            assert "可能" in benefit.description_zh and "may" in benefit.description_en


def test_consulting_unlocks_vat_only_when_related_to_a_transfer_or_development():
    vat = tax_benefits_for("consulting")[0]
    assert "transfer or development" in vat.condition_en and vat.condition_zh


def test_a_license_unlocks_cit_relief_only_for_five_years_or_more():
    cit = tax_benefits_for("license.patent")[1]
    assert "five years" in cit.condition_en and "五年" in cit.condition_zh


def test_the_certificate_states_the_relief_rule_of_the_reference():
    """Production states the CIT rule as text; the reference computes it: one limit."""
    cit = tax_benefits_for("transfer.patent")[1]
    limit_yuan = CIT_EXEMPT_LIMIT_FEN // 100
    assert f"{limit_yuan // 10_000}万元" in cit.description_zh
    assert f"{limit_yuan // 1_000_000} million RMB" in cit.description_en
    assert "减半" in cit.description_zh and "halved" in cit.description_en
    below, above = estimate_cit_relief(CIT_EXEMPT_LIMIT_FEN), estimate_cit_relief(
        CIT_EXEMPT_LIMIT_FEN + 1)
    assert (below.halved_fen, above.halved_fen) == (0, 1)


def test_unknown_types_have_no_benefits_to_list():
    with pytest.raises(UnknownContractType):
        tax_benefits_for("lease")


# Hand-computed: 1 RMB = 100 fen; 5,000,000 RMB = 500,000,000 fen.
@pytest.mark.parametrize(("income", "exempt", "halved"), [
    (300_000_000, 300_000_000, 0),  # 3 million RMB: all exempt
    (500_000_000, 500_000_000, 0),  # exactly 5 million RMB: all exempt
    (500_000_001, 500_000_000, 1),  # one fen above: that fen halved
    (800_000_000, 500_000_000, 300_000_000),  # 8 million RMB: 5 exempt, 3 halved
    (0, 0, 0),
    (-20_000_000, 0, 0),  # a loss earns no relief
])
def test_cit_relief_splits_a_year_of_transfer_income(income, exempt, halved):
    estimate = estimate_cit_relief(income)
    assert (estimate.exempt_fen, estimate.halved_fen) == (exempt, halved)


def test_tax_saved_on_eight_million_yuan_at_the_standard_rate():
    # 5,000,000 × 25% + 3,000,000 × 12.5% = 1,250,000 + 375,000 = 1,625,000 RMB
    assert estimate_cit_relief(800_000_000).tax_saved_fen() == 162_500_000


def test_tax_saved_at_the_high_tech_enterprise_rate():
    # 5,000,000 × 15% + 3,000,000 × 7.5% = 750,000 + 225,000 = 975,000 RMB
    assert estimate_cit_relief(800_000_000).tax_saved_fen(rate_bp=1500) == 97_500_000


def test_tax_saved_rounds_down_to_the_fen_once():
    # (2 × 500,000,000 + 1) × 25% / 2 = 125,000,000.125 fen
    assert estimate_cit_relief(500_000_001).tax_saved_fen() == 125_000_000


def test_the_estimate_takes_only_integer_fen():
    with pytest.raises(TypeError):
        estimate_cit_relief(5e8)  # type: ignore[arg-type]
