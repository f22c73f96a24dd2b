"""Bad input to every listings endpoint: a 4xx problem document, nothing written, never
a 500. Text carrying SQL or HTML is stored as text and never executed."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from tests.support.listings import broker_body, broker_desk, created, offer_body, register
from tests.support.market import Market, auth, token

TABLES = ("organizations", "brokers", "offers", "needs", "broker_clients")
WHOLE_BODIES = ("empty object", "not an object", "only a title")  # not merged into a valid one


def as_json(body: Any) -> bytes:
    """ASCII JSON: escapes reach the server as sent, lone surrogates included."""
    return json.dumps(body).encode()


def offer_cases() -> dict[str, Any]:
    return {
        "empty object": {},
        "not an object": ["a", "list"],
        "only a title": {"title": "只有标题"},
        "wrong types": {"title": 12, "trl": "6", "keywords": "正极", "ip": {}},
        "null everywhere": {"title": None, "industry": None, "trl": None, "modes": None},
        "unknown enum values": {"kind": "hardware", "industry": "tobacco", "modes": ["barter"],
                                "ip": [{"kind": "trademark", "number": "1"}]},
        "megabyte title": {"title": "长" * 1_000_000},
        "megabyte description": {"description": "a" * 1_048_576},
        "10,000 keywords": {"keywords": [f"词{n}" for n in range(10_000)]},
        "10,000 IP items": {"ip": [{"kind": "trade_secret"}] * 10_000},
        "10,000 modes": {"modes": ["license"] * 10_000},
        "NUL in the title": {"title": "正极\x00材料"},
        "escape sequence in the summary": {"summary": "\x1b[31m红色\x1b[0m"},
        "bell in a keyword": {"keywords": ["正极\x07"]},
        "lone surrogate": {"title": "\ud800"},
        "negative money": {"asking_price_fen": -100},
        "float money": {"asking_price_fen": 99.99},
        "money in exponent form": {"asking_price_fen": 1e5},
        "huge integer": {"trl": 10**40},
        "extra field": {"status": "published"},
        "owner not a uuid": {"owner_org_id": "org-1'; DROP TABLE offers; --"},
    }


@pytest.fixture(scope="module")
async def desk(market: Market) -> Any:
    return await broker_desk(market, "BJ", kinds=("university", "enterprise"))


async def snapshot(market: Market) -> dict[str, int]:
    return {t: int(await market.fetchval("listings", f"SELECT count(*) FROM {t}"))
            for t in TABLES}


def assert_problem(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == response.status_code and problem["title"]
    if response.status_code == 422:
        assert problem["errors"] and all(e["field"] for e in problem["errors"])


@pytest.mark.parametrize("case", sorted(offer_cases()))
async def test_bad_offer_bodies(market: Market, desk: Any, case: str) -> None:
    changes = offer_cases()[case]
    body = changes if case in WHOLE_BODIES else {**offer_body(desk.client_id), **changes}
    headers = {**desk.headers, "content-type": "application/json"}
    before = await snapshot(market)
    async with market.client("listings") as client:
        posted = await client.post("/offers", content=as_json(body), headers=headers)
        need = await client.post("/needs", content=as_json(body), headers=headers)
    assert_problem(posted)
    assert_problem(need)
    assert await snapshot(market) == before


@pytest.mark.parametrize("case", sorted(offer_cases()))
async def test_bad_patches(market: Market, desk: Any, case: str) -> None:
    offer = await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    changes = offer_cases()[case]
    if case in ("empty object", "only a title"):
        pytest.skip("a valid patch")
    headers = {**desk.headers, "If-Match": '"1"', "content-type": "application/json"}
    async with market.client("listings") as client:
        response = await client.patch(f"/offers/{offer['id']}", content=as_json(changes),
                                      headers=headers)
        read = await client.get(f"/offers/{offer['id']}", headers=desk.headers)
    assert_problem(response)
    assert read.json() == offer


MISSING = object()
BROKER_CASES: dict[str, dict[str, Any]] = {
    "missing fields": {"certificate_no": MISSING, "agency_org_id": MISSING},
    "null fields": {"name": None, "region": None},
    "wrong types": {"represents": "all", "region": 11},
    "unknown region": {"region": "SH"},
    "control character in the name": {"name": "王\x00晓东"},
    "10,000 represented": {"represents": [str(uuid.uuid4()) for _ in range(10_000)]},
    "agency not a uuid": {"agency_org_id": "<script>alert(1)</script>"},
    "certificate with spaces and quotes": {"certificate_no": "BJ 2019' OR 1=1"},
}


@pytest.mark.parametrize("case", sorted(BROKER_CASES))
async def test_bad_broker_bodies(market: Market, desk: Any, case: str) -> None:
    body = {key: value for key, value in {
        **broker_body("BJ", desk.agency_id, [desk.client_id]), **BROKER_CASES[case]}.items()
        if value is not MISSING}
    before = await snapshot(market)
    async with market.client("listings") as client:
        response = await client.post("/brokers", json=body, headers=auth("operator", "BJ"))
    assert_problem(response)
    assert await snapshot(market) == before


async def test_control_character_in_an_organization_name(market: Market) -> None:
    before = await snapshot(market)
    async with market.client("listings") as client:
        response = await client.post(
            "/organizations", json={"name": "北京\x00科技", "credit_code": "91110108MA01234567",
                                    "region": "BJ", "kind": "enterprise"},
            headers=auth("operator", "BJ"))
    assert_problem(response)
    assert await snapshot(market) == before


@pytest.mark.parametrize("method, path", [
    ("GET", "/offers/not-a-uuid"), ("GET", "/needs/123"), ("GET", "/brokers/zzz"),
    ("POST", "/offers/1'%20OR%201=1/publish"), ("POST", "/needs/%3Cscript%3E/withdraw"),
    ("PATCH", "/offers/00000000-0000-0000-0000"), ("PATCH", "/brokers/x"),
    ("GET", "/organizations/..%2F..%2Fetc%2Fpasswd"),
])
async def test_invalid_ids_in_paths(market: Market, desk: Any, method: str, path: str) -> None:
    async with market.client("listings") as client:
        response = await client.request(method, path, json={},
                                         headers={**desk.headers, "If-Match": '"1"'})
    assert_problem(response)


@pytest.mark.parametrize("content_type, content", [
    ("text/plain", b'{"title": "x"}'),
    ("application/x-www-form-urlencoded", b"title=x&trl=6"),
    ("application/xml", b"<offer><title>x</title></offer>"),
    ("application/json", b"{not json"),
    ("application/json", b"[" * 50_000 + b"]" * 50_000),
    ("application/json", b"\xff\xfe\x00garbage"),
])
async def test_wrong_content(market: Market, desk: Any, content_type: str,
                             content: bytes) -> None:
    before = await snapshot(market)
    async with market.client("listings") as client:
        response = await client.post("/offers", content=content,
                                     headers={**desk.headers, "content-type": content_type})
    assert_problem(response)
    assert await snapshot(market) == before


@pytest.mark.parametrize("method, path", [
    ("POST", "/offers"), ("POST", "/needs"), ("POST", "/brokers"), ("GET", "/offers"),
    ("GET", f"/brokers/{uuid.uuid4()}"), ("PATCH", f"/offers/{uuid.uuid4()}"),
])
@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer not-a-jwt"},
    {"Authorization": f"Bearer {token('broker', ttl=-10)}"},
    {"Authorization": "Bearer " + token("operator")[:-4] + "AAAA"},
    {"Authorization": "Basic b3BlcmF0b3I6c2VjcmV0"},
], ids=["none", "garbage", "expired", "forged", "basic"])
async def test_missing_expired_or_forged_tokens_are_401(
        market: Market, desk: Any, method: str, path: str, headers: dict[str, str]) -> None:
    before = await snapshot(market)
    async with market.client("listings") as client:
        response = await client.request(method, path, json=offer_body(desk.client_id),
                                        headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert await snapshot(market) == before


async def test_sql_and_html_in_text_are_stored_as_text(market: Market, desk: Any) -> None:
    hostile = {
        "title": "<script>alert('x')</script>'; DROP TABLE offers; --",
        "summary": "Robert'); DELETE FROM organizations WHERE ('1'='1",
        "description": "<img src=x onerror=alert(1)>\n\"; TRUNCATE outbox; --\t%s %d {0}",
        "keywords": ["' OR 1=1 --", "<b>粗体</b>"],
    }
    offer = await created(market, "/offers", offer_body(desk.client_id, **hostile),
                          desk.headers)
    async with market.client("listings") as client:
        read = await client.get(f"/offers/{offer['id']}", headers=desk.headers)
        search = await client.get("/offers", params={"q": "script alert",
                                                      "owner_org_id": desk.client_id},
                                  headers=desk.headers)
    assert {k: read.json()[k] for k in hostile} == hostile
    assert read.headers["content-type"] == "application/json"
    assert [item["id"] for item in search.json()["items"]] == [offer["id"]]
    assert await market.fetchval("listings", "SELECT count(*) FROM organizations") > 0


async def test_an_operator_cannot_post_offers_and_others_cannot_register_brokers(
        market: Market, desk: Any) -> None:
    agency = await register(market, "BJ", "broker_agency")
    before = await snapshot(market)
    async with market.client("listings") as client:
        operator_offer = await client.post("/offers", json=offer_body(desk.client_id),
                                           headers=auth("operator", "BJ"))
        enterprise_broker = await client.post(
            "/brokers", json=broker_body("BJ", agency, []),
            headers=auth("enterprise", "BJ", org=desk.clients[1]))
    assert operator_offer.status_code == 403 and enterprise_broker.status_code == 403
    assert await snapshot(market) == before
