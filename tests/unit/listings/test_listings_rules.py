"""Validation of offer and need drafts: each refusal names the field and the reason."""

from datetime import date
from typing import Any

import pytest

from services.listings.domain.limits import (
    IP_MAX_ITEMS,
    KEYWORD_MAX_CHARS,
    KEYWORDS_MAX_ITEMS,
    TITLE_MAX_CHARS,
)
from services.listings.domain.rules import normalise_ip_items, validate_need, validate_offer

TODAY = date(2025, 6, 1)


def offer(**changes: Any) -> dict[str, Any]:
    draft: dict[str, Any] = {
        "owner_org_id": "5a1c1f9e-0000-4000-8000-000000000001",
        "kind": "technology",
        "title": "钢渣资源化利用关键技术",
        "summary": "以短流程处理钢渣，制备路基材料。",
        "description": "一、技术背景\n\t钢渣堆存量大。\r\n二、技术方案\n……",
        "industry": "steel",
        "keywords": ["钢渣", "资源化"],
        "trl": 6,
        "ip": [{"kind": "patent", "number": "ZL201720001285.X"}, {"kind": "trade_secret"}],
        "modes": ["transfer", "license"],
        "asking_price_fen": 1_500_000_00,
        "valid_until": "2026-06-01",
    }
    draft.update(changes)
    return draft


def need(**changes: Any) -> dict[str, Any]:
    draft: dict[str, Any] = {
        "buyer_org_id": "5a1c1f9e-0000-4000-8000-000000000002",
        "title": "征集京津冀大气污染物在线监测系统",
        "description": "我公司需要在园区布设监测点。",
        "industry": "air_quality",
        "keywords": ["在线监测"],
        "min_trl": 6,
        "budget_min_fen": 500_000_00,
        "budget_max_fen": 2_000_000_00,
        "cross_region_ok": False,
        "modes": ["service"],
        "deadline": date(2025, 12, 31),
    }
    draft.update(changes)
    return draft


def faults(errors: list[Any]) -> set[tuple[str, str]]:
    return {(error.field, error.code) for error in errors}


def test_a_complete_offer_and_need_pass() -> None:
    assert validate_offer(offer(), TODAY) == []
    assert validate_need(need(), TODAY) == []


def test_optional_offer_fields_may_be_absent_and_price_negotiable() -> None:
    draft = offer(asking_price_fen=None)
    for key in ("summary", "description", "keywords", "ip"):
        del draft[key]
    assert validate_offer(draft, TODAY) == []


@pytest.mark.parametrize(
    ("changes", "fault"),
    [
        ({"trl": 0}, ("trl", "out_of_range")),
        ({"trl": 10}, ("trl", "out_of_range")),
        ({"trl": True}, ("trl", "type")),
        ({"trl": 6.0}, ("trl", "type")),
        ({"trl": None}, ("trl", "required")),
        ({"asking_price_fen": 1.5}, ("asking_price_fen", "type")),
        ({"asking_price_fen": False}, ("asking_price_fen", "type")),
        ({"asking_price_fen": -1}, ("asking_price_fen", "out_of_range")),
        ({"asking_price_fen": 10**16}, ("asking_price_fen", "out_of_range")),
        ({"asking_price_fen": "100"}, ("asking_price_fen", "type")),
        ({"industry": "mining"}, ("industry", "unknown")),
        ({"kind": "product"}, ("kind", "unknown")),
        ({"kind": None}, ("kind", "required")),
        ({"modes": []}, ("modes", "required")),
        ({"modes": "license"}, ("modes", "type")),
        ({"modes": ["license", "license"]}, ("modes[1]", "duplicate")),
        ({"modes": ["license", "barter"]}, ("modes[1]", "unknown")),
        ({"modes": [["license"]]}, ("modes[0]", "unknown")),
        ({"title": " "}, ("title", "required")),
        ({"title": "甲" * (TITLE_MAX_CHARS + 1)}, ("title", "too_long")),
        ({"title": "第一行\n第二行"}, ("title", "control_character")),
        ({"title": 42}, ("title", "type")),
        ({"summary": "摘要\x00"}, ("summary", "control_character")),
        ({"description": "说明\x1b[31m"}, ("description", "control_character")),
        ({"description": "说明\ud800"}, ("description", "control_character")),
        ({"description": "长" * 20_001}, ("description", "too_long")),
        ({"keywords": ["k"] * (KEYWORDS_MAX_ITEMS + 1)}, ("keywords", "too_many")),
        ({"keywords": ["钢" * (KEYWORD_MAX_CHARS + 1)]}, ("keywords[0]", "too_long")),
        ({"keywords": ["钢渣", " 钢渣 "]}, ("keywords[1]", "duplicate")),
        ({"keywords": ["钢渣", 7]}, ("keywords[1]", "type")),
        ({"keywords": ["钢渣", ""]}, ("keywords[1]", "required")),
        ({"keywords": "钢渣"}, ("keywords", "type")),
        ({"valid_until": "2025-06-01"}, ("valid_until", "not_in_future")),
        ({"valid_until": "2024-12-31"}, ("valid_until", "not_in_future")),
        ({"valid_until": "2025-13-01"}, ("valid_until", "invalid_date")),
        ({"valid_until": 20260601}, ("valid_until", "invalid_date")),
        ({"valid_until": "2045-06-01"}, ("valid_until", "too_far")),
        ({"valid_until": None}, ("valid_until", "required")),
    ],
)
def test_offer_faults_name_field_and_reason(
    changes: dict[str, Any], fault: tuple[str, str]
) -> None:
    assert fault in faults(validate_offer(offer(**changes), TODAY))


def test_limits_are_inclusive() -> None:
    draft = offer(
        title="甲" * TITLE_MAX_CHARS,
        keywords=[f"词{i}" for i in range(KEYWORDS_MAX_ITEMS)],
        valid_until="2025-06-02",
    )
    assert validate_offer(draft, TODAY) == []


def test_valid_until_may_be_a_datetime_read_in_beijing_time() -> None:
    # 2025-06-01T16:30Z is already 2 June in Beijing, hence in the future.
    assert validate_offer(offer(valid_until="2025-06-01T16:30:00Z"), TODAY) == []
    late_today = offer(valid_until="2025-06-01T15:30:00+00:00")
    assert ("valid_until", "not_in_future") in faults(validate_offer(late_today, TODAY))


def test_ip_errors_point_at_the_item() -> None:
    items = [
        {"kind": "patent", "number": "ZL201720001285.X"},
        {"kind": "software_copyright", "number": "2019SR0123456"},
        {"kind": "patent", "number": "ZL201720001285.5"},
        {"kind": "trade_secret", "number": "秘密"},
        {"kind": "copyright", "number": "1"},
        "ZL201720001285.X",
        {"kind": "patent", "number": "201720001285X"},  # same patent, other spelling
        {"kind": "patent", "number": 201720001285},
    ]
    assert faults(validate_offer(offer(ip=items), TODAY)) == {
        ("ip[2].number", "check_character"),
        ("ip[3].number", "must_be_empty"),
        ("ip[4].kind", "unknown"),
        ("ip[5]", "type"),
        ("ip[6].number", "duplicate"),
        ("ip[7].number", "type"),
    }


def test_ip_list_is_bounded() -> None:
    many = [{"kind": "trade_secret"}] * (IP_MAX_ITEMS + 1)
    assert ("ip", "too_many") in faults(validate_offer(offer(ip=many), TODAY))
    assert ("ip", "type") in faults(validate_offer(offer(ip={"kind": "patent"}), TODAY))


def test_ip_items_are_normalised_for_storage() -> None:
    items = [
        {"kind": "patent", "number": "201720001285X"},
        {"kind": "trade_secret", "description": "配方与烧结制度"},
    ]
    assert normalise_ip_items(items) == [
        {"kind": "patent", "number": "ZL201720001285.X"},
        {"kind": "trade_secret", "number": None, "description": "配方与烧结制度"},
    ]


@pytest.mark.parametrize(
    ("changes", "fault"),
    [
        ({"budget_min_fen": 3_000_000_00}, ("budget_min_fen", "budget_range")),
        ({"budget_max_fen": 1.0}, ("budget_max_fen", "type")),
        ({"budget_min_fen": True}, ("budget_min_fen", "type")),
        ({"budget_min_fen": -5}, ("budget_min_fen", "out_of_range")),
        ({"min_trl": 10}, ("min_trl", "out_of_range")),
        ({"min_trl": "6"}, ("min_trl", "type")),
        ({"cross_region_ok": "yes"}, ("cross_region_ok", "type")),
        ({"description": ""}, ("description", "required")),
        ({"deadline": None}, ("deadline", "required")),
        ({"deadline": date(2025, 5, 1)}, ("deadline", "not_in_future")),
        ({"modes": ["service", "service"]}, ("modes[1]", "duplicate")),
        ({"industry": None}, ("industry", "required")),
    ],
)
def test_need_faults_name_field_and_reason(changes: dict[str, Any], fault: tuple[str, str]) -> None:
    assert fault in faults(validate_need(need(**changes), TODAY))


def test_need_budget_may_be_open_or_one_sided() -> None:
    assert validate_need(need(budget_min_fen=None, budget_max_fen=None, min_trl=None), TODAY) == []
    assert validate_need(need(budget_min_fen=None), TODAY) == []
    assert validate_need(need(budget_min_fen=2_000_000_00), TODAY) == []  # min == max


def test_every_fault_is_reported_at_once() -> None:
    errors = validate_need(need(title="", industry="x", modes=[], deadline="soon"), TODAY)
    assert faults(errors) == {
        ("title", "required"),
        ("industry", "unknown"),
        ("modes", "required"),
        ("deadline", "invalid_date"),
    }
    assert all(error.message for error in errors)
