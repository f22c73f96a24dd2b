"""Bad input to every deals endpoint: a 4xx problem document naming the fields, and nothing
written (no deal, contract, registration or event; the deal's version unchanged)."""

from __future__ import annotations

import uuid
from typing import Any

import jwt
import pytest

from tests.support.deals import Parties, contract, footprint, new_parties, open_deal, signed_deal
from tests.support.market import Market, auth, token

MEGABYTE = "长" * 1_000_000
VALID_DEAL = {"seller_org_id": str(uuid.uuid4()), "buyer_org_id": str(uuid.uuid4()),
              "title": "交易"}

BAD_DEALS: dict[str, Any] = {
    "wrong types": {"seller_org_id": 12, "buyer_org_id": True, "title": ["标题"]},
    "missing fields": {"title": "只有标题"},
    "invalid uuid": {**VALID_DEAL, "seller_org_id": "not-a-uuid"},
    "megabyte title": {**VALID_DEAL, "title": MEGABYTE},
    "long title": {**VALID_DEAL, "title": "长" * 201},
    "empty title": {**VALID_DEAL, "title": ""},
    "extra field": {**VALID_DEAL, "status": "registered"},
    "not an object": ["a", "list"],
    "null": None,
}

BAD_CONTRACTS: dict[str, dict[str, Any]] = {
    "money as text": {"total_fen": "1200000"},
    "money as float": {"total_fen": 1200000.0},
    "fractional money": {"total_fen": 1.5},
    "negative money": {"total_fen": -1},
    "boolean money": {"total_fen": True},
    "absurd money": {"total_fen": 10**16},
    "negative deduction": {"deductions": [{"item": "设备", "kind": "equipment",
                                           "amount_fen": -5}]},
    "float deduction": {"deductions": [{"item": "设备", "kind": "equipment",
                                        "amount_fen": 0.5}]},
    "unknown contract type": {"type": "sale.goods"},
    "contract type of the wrong case": {"type": "Transfer.Patent"},
    "date as a number": {"signed_on": 1767225600},
    "impossible date": {"valid_until": "2026-13-01"},
    "megabyte subject": {"subject": MEGABYTE},
    "long subject": {"subject": "长" * 20_001},
    "ten thousand deductions": {"deductions": [
        {"item": "零件", "kind": "parts", "amount_fen": 1}] * 10_000},
    "ten thousand IP items": {"ip": [{}] * 10_000},
    "IP item of the wrong shape": {"ip": ["ZL202310123456.7"]},
    "null total": {"total_fen": None},
    "extra field": {"tech_amount_fen": 1},
    "hash of the wrong type": {"document_sha256": 123},
}
CONTRACT_FIELDS_REQUIRED = ("type", "signed_on", "valid_from", "valid_until", "total_fen",
                            "subject")

BAD_REVIEWS = [{"decision": "maybe"}, {"decision": "approve", "reason": "长" * 2001},
               {"decision": "approve", "extra": 1}, {}, {"decision": True}]
BAD_TERMINATIONS = [{}, {"reason": ""}, {"reason": "   "}, {"reason": 5},
                    {"reason": "长" * 2001}, {"reason": MEGABYTE}]


@pytest.fixture(scope="module")
async def parties(market: Market) -> Parties:
    return await new_parties(market)


@pytest.fixture(scope="module")
async def deal(market: Market, parties: Parties) -> dict[str, Any]:
    return await signed_deal(market, parties)


def _assert_problem(answer: Any) -> None:
    assert 400 <= answer.status_code < 500, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == answer.status_code and problem["title"]
    if answer.status_code == 422:
        assert problem["errors"] and all(e["field"] for e in problem["errors"])


async def _refused(market: Market, method: str, path: str, headers: dict[str, str],
                   body: Any = None, **kwargs: Any) -> Any:
    before = await footprint(market)
    async with market.client("deals") as client:
        answer = await client.request(method, path, json=body, headers=headers, **kwargs)
    _assert_problem(answer)
    assert await footprint(market) == before
    return answer


@pytest.mark.parametrize("case", sorted(BAD_DEALS))
async def test_bad_deal_bodies(market: Market, parties: Parties, case: str) -> None:
    await _refused(market, "POST", "/deals", parties.broker.headers, BAD_DEALS[case])


async def test_a_deal_between_one_organization_and_itself(market: Market,
                                                          parties: Parties) -> None:
    answer = await _refused(market, "POST", "/deals", parties.broker.headers,
                            {**parties.deal(), "buyer_org_id": str(parties.seller)})
    assert answer.json()["errors"][0]["code"] == "same_organization"


async def test_unknown_organizations_are_named(market: Market, parties: Parties) -> None:
    answer = await _refused(market, "POST", "/deals", parties.broker.headers,
                            {**parties.deal(), "buyer_org_id": str(uuid.uuid4())})
    assert answer.status_code in (403, 422)  # a broker cannot represent an unknown org


@pytest.mark.parametrize("case", sorted(BAD_CONTRACTS))
async def test_bad_contracts(market: Market, parties: Parties, deal: dict, case: str) -> None:
    answer = await _refused(market, "POST", f"/deals/{deal['id']}/contract",
                            parties.broker.headers, contract(**BAD_CONTRACTS[case]))
    if answer.status_code == 422:
        named = {e["field"].split(".")[0].split("[")[0] for e in answer.json()["errors"]}
        assert named <= set(contract()) | {"body", "tech_amount_fen"}


@pytest.mark.parametrize("missing", CONTRACT_FIELDS_REQUIRED)
async def test_contracts_missing_a_field(market: Market, parties: Parties, deal: dict,
                                         missing: str) -> None:
    body = {k: v for k, v in contract().items() if k != missing}
    answer = await _refused(market, "POST", f"/deals/{deal['id']}/contract",
                            parties.broker.headers, body)
    assert [e["field"] for e in answer.json()["errors"]] == [missing]


@pytest.mark.parametrize("body", BAD_REVIEWS)
async def test_bad_reviews(market: Market, deal: dict, body: dict) -> None:
    await _refused(market, "POST", f"/deals/{deal['id']}/review", auth("operator", "BJ"), body)


@pytest.mark.parametrize("body", BAD_TERMINATIONS)
async def test_bad_terminations(market: Market, parties: Parties, deal: dict,
                                body: dict) -> None:
    await _refused(market, "POST", f"/deals/{deal['id']}/terminate", parties.broker.headers,
                   body)


ACTIONS = ["contract", "registration", "review", "complete", "terminate"]


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("deal_id", ["not-a-uuid", "1", "%00", "' OR 1=1 --"])
async def test_invalid_deal_ids_in_paths(market: Market, parties: Parties, action: str,
                                         deal_id: str) -> None:
    await _refused(market, "POST", f"/deals/{deal_id}/{action}", parties.broker.headers,
                   {"reason": "x", "decision": "approve"})


@pytest.mark.parametrize("action", ACTIONS)
async def test_unknown_deals_are_404(market: Market, parties: Parties, action: str) -> None:
    role = auth("operator", "BJ") if action == "review" else parties.broker.headers
    body = {"contract": contract(), "review": {"decision": "approve"},
            "terminate": {"reason": "x"}}.get(action)
    answer = await _refused(market, "POST", f"/deals/{uuid.uuid4()}/{action}", role, body)
    assert answer.status_code == 404


def _forged(parties: Parties) -> dict[str, str]:
    good = parties.broker.headers["Authorization"]
    return {"Authorization": good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")}


def _other_secret(parties: Parties) -> dict[str, str]:
    claims = jwt.decode(parties.broker.headers["Authorization"].split()[1],
                        options={"verify_signature": False})
    return {"Authorization": "Bearer " + jwt.encode(claims, "not-the-secret" * 4,
                                                    algorithm="HS256")}


TOKENS = {
    "none": lambda p: {},
    "not a jwt": lambda p: {"Authorization": "Bearer not-a-jwt"},
    "forged signature": _forged,
    "another secret": _other_secret,
    "expired": lambda p: {"Authorization": "Bearer " + token("broker", ttl=-10,
                                                             sub=str(p.broker.broker_id))},
    "basic scheme": lambda p: {"Authorization": "Basic dXNlcjpwYXNz"},
}


@pytest.mark.parametrize("case", sorted(TOKENS))
async def test_bad_tokens_are_401(market: Market, parties: Parties, deal: dict,
                                  case: str) -> None:
    headers = TOKENS[case](parties)
    for path, body in (("/deals", parties.deal()),
                       (f"/deals/{deal['id']}/contract", contract()),
                       (f"/deals/{deal['id']}/registration", None)):
        answer = await _refused(market, "POST", path, headers, body)
        assert answer.status_code == 401
    async with market.client("deals") as client:
        for path in (f"/deals/{deal['id']}", "/deals", "/stats/flows"):
            answer = await client.get(path, headers=headers)
            assert answer.status_code == 401, path
            _assert_problem(answer)


@pytest.mark.parametrize("role", ["enterprise", "provider", "operator", "service"])
async def test_wrong_roles_are_403(market: Market, parties: Parties, deal: dict,
                                   role: str) -> None:
    headers = auth(role, "BJ", org=parties.seller)
    for path, body in (("/deals", parties.deal()),
                       (f"/deals/{deal['id']}/contract", contract()),
                       (f"/deals/{deal['id']}/registration", None),
                       (f"/deals/{deal['id']}/complete", None)):
        assert (await _refused(market, "POST", path, headers, body)).status_code == 403


async def test_a_broker_token_of_another_agency_is_403(market: Market,
                                                       parties: Parties) -> None:
    headers = auth("broker", "BJ", org=uuid.uuid4(), sub=str(parties.broker.broker_id))
    answer = await _refused(market, "POST", "/deals", headers, parties.deal())
    assert answer.status_code == 403


@pytest.mark.parametrize("params", [
    {"status": "bogus"}, {"limit": 0}, {"limit": 1000}, {"limit": "many"},
    {"cursor": "garbage!"}, {"region": "XX"}, {"region": "SHANGHAI"}, {"org_id": "nope"},
])
async def test_bad_list_queries(market: Market, parties: Parties, params: dict) -> None:
    await _refused(market, "GET", "/deals", parties.broker.headers, params=params)


@pytest.mark.parametrize("params", [
    {"year": "abc"}, {"year": 1800}, {"year": 100000}, {"type": "bogus"}, {"type": ""},
])
async def test_bad_statistics_queries(market: Market, params: dict) -> None:
    await _refused(market, "GET", "/stats/flows", auth("operator", "BJ"), params=params)


@pytest.mark.parametrize("key", ["", "k" * 201])
async def test_bad_idempotency_keys(market: Market, parties: Parties, key: str) -> None:
    deal = await open_deal(market, parties)
    headers = {**parties.broker.headers, "Idempotency-Key": key}
    await _refused(market, "POST", f"/deals/{deal['id']}/contract", headers, contract())


async def test_a_wrong_content_type_is_4xx(market: Market, parties: Parties) -> None:
    before = await footprint(market)
    async with market.client("deals") as client:
        answer = await client.post("/deals", content=b"title=x", headers={
            **parties.broker.headers, "content-type": "application/x-www-form-urlencoded"})
    _assert_problem(answer)
    assert await footprint(market) == before
