"""Bad input to POST /organizations: a 4xx problem document, and nothing written."""

from __future__ import annotations

import pytest

from tests.support.data import organization
from tests.support.market import Market, auth, token

BAD_BODIES = {
    "wrong types": {**organization(), "small_firm": "yes", "name": 12},
    "missing fields": {"name": "只有名字的公司"},
    "megabyte string": {**organization(), "name": "长" * 1_000_000},
    "invalid credit code": {**organization(), "credit_code": "91110108MA01234567"},
    "unknown region": {**organization(), "region": "SH"},
    "unknown kind": {**organization(), "kind": "government"},
    "extra field": {**organization(), "is_admin": True},
    "sql in region": {**organization(), "region": "BJ'; DROP TABLE organizations; --"},
    "not an object": ["a", "list"],
}


async def _count(market: Market) -> int:
    return int(await market.fetchval("listings", "SELECT count(*) FROM organizations"))


@pytest.mark.parametrize("case", sorted(BAD_BODIES))
async def test_bad_body_is_a_problem_and_writes_nothing(market: Market, case: str) -> None:
    before = await _count(market)
    async with market.client("listings") as client:
        response = await client.post("/organizations", json=BAD_BODIES[case],
                                     headers=auth("broker"))
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == response.status_code and problem["title"]
    if response.status_code == 422:
        assert problem["errors"] and all(e["field"] for e in problem["errors"])
    assert await _count(market) == before


async def test_check_character_is_named(market: Market) -> None:
    body = organization()
    body["credit_code"] = body["credit_code"][:17] + ("0" if body["credit_code"][17] != "0"
                                                      else "1")
    async with market.client("listings") as client:
        response = await client.post("/organizations", json=body, headers=auth("broker"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "credit_code"
    assert response.json()["errors"][0]["code"] == "check_character"


async def test_repeat_credit_code_is_409(market: Market) -> None:
    body = organization()
    async with market.client("listings") as client:
        first = await client.post("/organizations", json=body, headers=auth("broker"))
        again = await client.post("/organizations", json={**body, "name": "另一家公司"},
                                  headers=auth("broker"))
    assert first.status_code == 201
    assert again.status_code == 409


@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer not-a-jwt"},
    {"Authorization": f"Bearer {token('broker', ttl=-10)}"},
    {"Authorization": "Bearer " + token("broker")[:-4] + "AAAA"},
])
async def test_missing_expired_or_forged_token_is_401(market: Market, headers: dict) -> None:
    before = await _count(market)
    async with market.client("listings") as client:
        response = await client.post("/organizations", json=organization(), headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await _count(market) == before


async def test_wrong_role_is_403(market: Market) -> None:
    async with market.client("listings") as client:
        response = await client.post("/organizations", json=organization(),
                                     headers=auth("enterprise"))
    assert response.status_code == 403


async def test_wrong_content_type_is_4xx(market: Market) -> None:
    async with market.client("listings") as client:
        response = await client.post("/organizations", content=b"name=x",
                                     headers={**auth("broker"),
                                              "content-type": "application/x-www-form-urlencoded"})
    assert 400 <= response.status_code < 500
