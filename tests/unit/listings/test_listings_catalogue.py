"""The market's vocabularies are exactly the ones the market defines (docs/listings.md)."""

import pytest

from services.listings.domain.catalogue import (
    INDUSTRIES,
    INDUSTRY_CODES,
    INDUSTRY_GROUPS,
    MODE_CODES,
    OFFER_KIND_CODES,
    ORGANIZATION_KIND_CODES,
    TRL_LEVELS,
    trl_level,
)

DESIGN_INDUSTRIES = {
    "strategic_emerging": {
        "new_materials", "biomedicine", "energy_saving_environmental", "new_energy_vehicles",
        "modern_services", "next_gen_it", "high_end_equipment",
    },
    "traditional": {"steel", "power", "building_materials", "textiles"},
    "eco_livelihood": {
        "food_safety", "water_protection", "mineral_resources", "green_energy", "air_quality",
        "smart_tourism", "healthcare", "transportation", "urban_management",
    },
}  # fmt: skip


def test_industries_are_those_of_the_design_in_their_groups() -> None:
    assert {g.code for g in INDUSTRY_GROUPS} == set(DESIGN_INDUSTRIES)
    for group, codes in DESIGN_INDUSTRIES.items():
        assert {i.code for i in INDUSTRIES if i.group == group} == codes
    assert len(INDUSTRIES) == len(INDUSTRY_CODES) == 20


def test_every_industry_has_chinese_and_english_names() -> None:
    for industry in INDUSTRIES:
        assert industry.name_zh and all("\u4e00" <= ch <= "\u9fff" for ch in industry.name_zh)
        assert industry.name_en.isascii()


def test_modes_and_kinds() -> None:
    assert MODE_CODES == {
        "transfer",
        "license",
        "co_development",
        "equity",
        "service",
        "consulting",
    }
    assert ORGANIZATION_KIND_CODES == {
        "enterprise", "university", "institute", "lab", "broker_agency",
    }  # fmt: skip
    assert OFFER_KIND_CODES == {"technology", "service"}


def test_trl_scale_has_nine_levels() -> None:
    assert [level.level for level in TRL_LEVELS] == list(range(1, 10))
    assert trl_level(9).name_en == "Proven in actual operation"
    for bad in (0, 10):
        with pytest.raises(ValueError):
            trl_level(bad)
