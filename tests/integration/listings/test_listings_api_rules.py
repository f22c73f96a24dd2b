"""The market's rules reach the API as 422 documents naming each field (and its reason)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.listings import broker_desk, count, in_days, need_body, offer_body
from tests.support.market import Market

OFFER_CASES: dict[str, tuple[dict[str, Any], str, str | None]] = {
    "TRL 0": ({"trl": 0}, "trl", "out_of_range"),
    "TRL 10": ({"trl": 10}, "trl", "out_of_range"),
    "patent check character": ({"ip": [{"kind": "patent", "number": "ZL201720001285.3"}]},
                               "ip[0].number", "check_character"),
    "application without check character": (
        {"ip": [{"kind": "patent_application", "number": "201720001285"}]},
        "ip[0].number", "missing_check_character"),
    "granted number given as application": (
        {"ip": [{"kind": "patent_application", "number": "ZL201720001285.X"}]},
        "ip[0].number", "kind_mismatch"),
    "software copyright format": ({"ip": [{"kind": "software_copyright",
                                           "number": "ZL201720001285.X"}]},
                                  "ip[0].number", "format"),
    "trade secret with a number": ({"ip": [{"kind": "trade_secret", "number": "123"}]},
                                   "ip[0].number", "must_be_empty"),
    "same patent twice": ({"ip": [{"kind": "patent", "number": "ZL201720001285.X"},
                                  {"kind": "patent", "number": "201720001285X"}]},
                          "ip[1].number", "duplicate"),
    "negative price": ({"asking_price_fen": -1}, "asking_price_fen", "out_of_range"),
    "float price": ({"asking_price_fen": 1500.5}, "asking_price_fen", None),
    "price as string": ({"asking_price_fen": "1500"}, "asking_price_fen", None),
    "price as boolean": ({"asking_price_fen": True}, "asking_price_fen", None),
    "absurd price": ({"asking_price_fen": 10**16}, "asking_price_fen", "out_of_range"),
    "unknown industry": ({"industry": "tobacco"}, "industry", None),
    "unknown mode": ({"modes": ["barter"]}, "modes[0]", None),
    "no mode": ({"modes": []}, "modes", "required"),
    "mode twice": ({"modes": ["license", "license"]}, "modes[1]", "duplicate"),
    "unknown kind": ({"kind": "hardware"}, "kind", None),
    "expired validity": ({"valid_until": "2020-01-01"}, "valid_until", "not_in_future"),
    "validity too far": ({"valid_until": in_days(4000)}, "valid_until", "too_far"),
    "not a date": ({"valid_until": "next year"}, "valid_until", None),
    "title too long": ({"title": "长" * 201}, "title", None),
    "blank title": ({"title": "   "}, "title", "required"),
    "keyword too long": ({"keywords": ["长" * 41]}, "keywords[0]", None),
    "keyword twice": ({"keywords": ["正极", "正极"]}, "keywords[1]", "duplicate"),
}


@pytest.fixture(scope="module")
async def desk(market: Market) -> Any:
    return await broker_desk(market)


@pytest.mark.parametrize("case", sorted(OFFER_CASES))
async def test_offer_rule_is_named(market: Market, desk: Any, case: str) -> None:
    changes, field, code = OFFER_CASES[case]
    before = await count(market, "offers")
    async with market.client("listings") as client:
        response = await client.post("/offers", json=offer_body(desk.client_id, **changes),
                                     headers=desk.headers)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = {e["field"]: e.get("code") for e in response.json()["errors"]}
    assert field in errors, errors
    if code:
        assert errors[field] == code
    assert await count(market, "offers") == before


NEED_CASES: dict[str, tuple[dict[str, Any], str, str | None]] = {
    "budget range reversed": ({"budget_min_fen": 300, "budget_max_fen": 200},
                              "budget_min_fen", "budget_range"),
    "negative budget": ({"budget_max_fen": -5}, "budget_max_fen", "out_of_range"),
    "float budget": ({"budget_min_fen": 0.5}, "budget_min_fen", None),
    "min TRL 10": ({"min_trl": 10}, "min_trl", "out_of_range"),
    "description missing": ({"description": ""}, "description", "required"),
    "deadline passed": ({"deadline": "2021-06-30"}, "deadline", "not_in_future"),
    "cross region as string": ({"cross_region_ok": "yes"}, "cross_region_ok", None),
}


@pytest.mark.parametrize("case", sorted(NEED_CASES))
async def test_need_rule_is_named(market: Market, desk: Any, case: str) -> None:
    changes, field, code = NEED_CASES[case]
    before = await count(market, "needs")
    async with market.client("listings") as client:
        response = await client.post("/needs", json=need_body(desk.clients[1], **changes),
                                     headers=desk.headers)
    assert response.status_code == 422, response.text
    errors = {e["field"]: e.get("code") for e in response.json()["errors"]}
    assert field in errors, errors
    if code:
        assert errors[field] == code
    assert await count(market, "needs") == before


async def test_every_offending_field_is_named_at_once(market: Market, desk: Any) -> None:
    body = offer_body(desk.client_id, trl=0, asking_price_fen=-5,
                      ip=[{"kind": "patent", "number": "ZL201720001285.1"}])
    async with market.client("listings") as client:
        response = await client.post("/offers", json=body, headers=desk.headers)
    assert {e["field"] for e in response.json()["errors"]} == {
        "trl", "asking_price_fen", "ip[0].number"}


async def test_valid_ip_of_every_kind_is_accepted(market: Market, desk: Any) -> None:
    ip = [{"kind": "patent", "number": "ZL 2017 2 0001285.X"},
          {"kind": "software_copyright", "number": "2019SR0123456"},
          {"kind": "trade_secret", "description": "配方与工艺参数"}]
    async with market.client("listings") as client:
        response = await client.post("/offers", json=offer_body(desk.client_id, ip=ip),
                                     headers=desk.headers)
    assert response.status_code == 201, response.text
    assert [i["number"] for i in response.json()["ip"]] == [
        "ZL201720001285.X", "2019SR0123456", None]
