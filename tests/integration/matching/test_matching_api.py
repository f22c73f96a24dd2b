"""The HTTP contract: unknown listings, bad input (4xx problem+json, never 500), tokens,
readiness."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.support.market import Market, auth
from tests.support.matching.feed import BROKER, code_word, offer_event, published, search


async def _get(market: Market, path: str, headers: dict[str, str] | None = None,
               **params: Any) -> Any:
    async with market.client("matching") as client:
        return await client.get(path, params=params,
                                headers=BROKER if headers is None else headers)


async def _post(market: Market, body: Any, headers: dict[str, str] | None = None,
                **params: Any) -> Any:
    async with market.client("matching") as client:
        return await client.post("/search", json=body, params=params,
                                 headers=BROKER if headers is None else headers)


def _problem(response: Any, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if field is not None:
        assert field in [error["field"] for error in response.json()["errors"]], response.text


@pytest.mark.parametrize("kind", ["needs", "offers"])
async def test_a_listing_matching_has_not_seen_is_404(market: Market, kind: str) -> None:
    _problem(await _get(market, f"/{kind}/{uuid.uuid4()}/matches"), 404)


@pytest.mark.parametrize(("params", "field"), [
    ({"limit": 0}, "limit"), ({"limit": 201}, "limit"), ({"limit": "many"}, "limit"),
    ({"min_score": -0.1}, "min_score"), ({"min_score": 1.5}, "min_score"),
    ({"min_score": "nan"}, "min_score"), ({"min_score": "high"}, "min_score"),
])
async def test_bad_ranking_parameters_are_422(market: Market, params: dict[str, Any],
                                              field: str) -> None:
    _problem(await _get(market, f"/needs/{uuid.uuid4()}/matches", **params), 422, field)
    _problem(await _post(market, {"text": "电池"}, **params), 422, field)


async def test_a_malformed_id_is_422(market: Market) -> None:
    _problem(await _get(market, "/offers/not-a-uuid/matches"), 422, "offer_id")


@pytest.mark.parametrize(("body", "field"), [
    ({}, "text"), ({"text": ""}, "text"), ({"text": "   "}, "text"), ({"text": 42}, "text"),
    ({"text": "电池" * 1001}, "text"), ({"text": "电池", "min_trl": 0}, "min_trl"),
    ({"text": "电池", "min_trl": 10}, "min_trl"), ({"text": "电池", "min_trl": "5"}, "min_trl"),
    ({"text": "电池", "max_price_fen": -1}, "max_price_fen"),
    ({"text": "电池", "max_price_fen": 1.5}, "max_price_fen"),
    ({"text": "电池", "industry": "New Materials"}, "industry"),
    ({"text": "电池", "region": "XX"}, "region"), ({"text": "电池", "limit": 5}, "limit"),
])
async def test_bad_searches_are_422_naming_the_field(market: Market, body: dict[str, Any],
                                                     field: str) -> None:
    _problem(await _post(market, body), 422, field)


async def test_a_body_that_is_not_json_is_4xx(market: Market) -> None:
    async with market.client("matching") as client:
        response = await client.post("/search", content=b"{not json",
                                     headers={**BROKER, "content-type": "application/json"})
    _problem(response, 422)


async def test_a_token_is_required(market: Market) -> None:
    _problem(await _get(market, f"/needs/{uuid.uuid4()}/matches", headers={}), 401)
    _problem(await _post(market, {"text": "电池"}, headers={}), 401)
    bad = {"Authorization": "Bearer not-a-token"}
    _problem(await _get(market, f"/offers/{uuid.uuid4()}/matches", headers=bad), 401)


async def test_any_role_may_search_and_regions_have_two_spellings(market: Market) -> None:
    code = code_word()
    offer = offer_event(code, region="HE")
    await published(market, code, offer)
    for region in ("HE", "130000", "he"):
        assert [i["offer_id"] for i in (await search(market, {"text": code, "region": region},
                                                     min_score=0))["items"]] == [offer.offer_id]
    assert (await search(market, {"text": code, "region": "BJ"}, min_score=0))["items"] == []
    for role in ("enterprise", "provider", "operator", "service"):
        response = await _post(market, {"text": code}, headers=auth(role, "TJ"), min_score=0)
        assert response.status_code == 200, response.text


async def test_readiness_reports_the_index(market: Market) -> None:
    response = await _get(market, "/readyz", headers={})
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": True, "kafka": True, "index": True}
