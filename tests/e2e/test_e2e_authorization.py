"""Authorisation matrix: every write endpoint, tried with each role and with tokens of
another organisation or region. Every case API.md does not allow answers 403 (and so
writes nothing); a missing token answers 401.

The operations come from each service's OpenAPI document: a write operation (or one under
/admin) missing from `MAY`, or a read that answers without a token and is not in
`PUBLIC_READS`, fails the test, so a new route cannot escape the matrix.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from shared.auth import ROLES
from tests.support.data import organization
from tests.support.journey import Api, contract_body, run_journey
from tests.support.market import Market, auth, token

SERVICES = ("listings", "matching", "deals", "vouchers")


@pytest.fixture(scope="module")
async def world(market: Market) -> dict[str, Any]:
    """One finished journey plus strangers: another broker, another enterprise."""
    api = Api({s: market.url(s) for s in SERVICES})
    try:
        journey = await run_journey(api, wait_for_match=False)
        other = await run_journey(api, wait_for_match=False)
    finally:
        await api.close()
    return {"j": journey, "other": other}


def strangers(w: dict[str, Any]) -> dict[str, str]:
    """Tokens that must NOT be allowed to act on `w["j"]`'s resources."""
    o = w["other"]["cast"]
    return {
        "other broker": token("broker", "BJ", org=o.agency, sub=o.broker),
        "other enterprise": token("enterprise", "HE", org=o.enterprise),
        "provider": token("provider", "BJ", org=w["j"]["cast"].university),
        "operator TJ": token("operator", "TJ", sub="operator-TJ"),
        "service": token("service", "BJ", sub="a-service"),
    }


def cases(w: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any], list[str]]]:
    """(service, path, label, body, the stranger tokens that must get 403)."""
    j, cast = w["j"], w["j"]["cast"]
    all_strangers = list(strangers(w))
    no_operator = [s for s in all_strangers if s != "operator TJ"]
    today = date.today()
    offer = {"owner_org_id": cast.university, "kind": "technology", "title": "测试成果转让",
             "industry": "new_materials", "trl": 5, "modes": ["transfer"],
             "valid_until": str(today + timedelta(days=90))}
    need = {"buyer_org_id": cast.enterprise, "title": "测试技术需求", "description": "需要材料技术",
            "industry": "new_materials", "modes": ["transfer"],
            "deadline": str(today + timedelta(days=90))}
    program = {"issuer_region": "HE", "name": "越权计划", "year": today.year,
               "budget_fen": 1_000_000, "max_share_bp": 1000, "cap_per_enterprise_fen": 100_000,
               "eligible_contract_types": ["transfer.patent"], "recognized_regions": ["BJ"],
               "use_by": str(today + timedelta(days=30)),
               "redeem_by": str(today + timedelta(days=60))}
    deal = {"offer_id": j["offer_id"], "need_id": j["need_id"],
            "seller_org_id": cast.university, "buyer_org_id": cast.enterprise, "title": "越权"}
    return [
        ("listings", "/organizations", "register organisation", organization("BJ"),
         ["other enterprise", "provider", "service"]),
        ("listings", "/brokers", "register broker",
         {"name": "李四", "certificate_no": "BJ-X-0001", "region": "BJ",
          "agency_org_id": cast.agency, "represents": []}, no_operator),
        ("listings", "/offers", "post offer", offer, all_strangers),
        ("listings", "/needs", "post need", need, all_strangers),
        ("listings", f"/offers/{j['offer_id']}/withdraw", "withdraw offer", {}, all_strangers),
        ("listings", f"/needs/{j['need_id']}/withdraw", "withdraw need", {}, all_strangers),
        ("deals", "/deals", "open deal", deal, all_strangers),
        ("deals", f"/deals/{j['deal_id']}/contract", "attach contract", contract_body("x"),
         all_strangers),
        ("deals", f"/deals/{j['deal_id']}/registration", "register", {}, all_strangers),
        ("deals", f"/deals/{j['deal_id']}/review", "review", {"decision": "approve"},
         all_strangers),
        ("deals", f"/deals/{j['deal_id']}/complete", "complete", {}, all_strangers),
        ("deals", f"/deals/{j['deal_id']}/terminate", "terminate", {"reason": "越权"},
         all_strangers),
        ("vouchers", "/programs", "open program (HE)", program, all_strangers),
        ("vouchers", f"/programs/{j['program_id']}/vouchers", "issue voucher",
         {"enterprise_org_id": cast.enterprise, "amount_fen": 1000}, all_strangers),
        ("vouchers", f"/vouchers/{j['voucher_id']}/reservations", "reserve",
         {"deal_id": j["deal_id"], "provider_org_id": cast.university, "amount_fen": 100},
         all_strangers),
        ("vouchers", f"/reservations/{j['reservation_id']}/redeem", "redeem",
         {"amount_fen": 100}, all_strangers),
        ("vouchers", f"/reservations/{j['reservation_id']}/release", "release", {},
         all_strangers),
        ("vouchers", f"/settlements/{cast.university}/pay", "pay settlement",
         {"issuer_region": "HE"},
         all_strangers),
    ]


async def test_strangers_are_forbidden_everywhere(market: Market,
                                                 world: dict[str, Any]) -> None:
    tokens = strangers(world)
    wrong: list[str] = []
    async with httpx.AsyncClient(timeout=30) as client:
        for service, path, label, body, forbidden in cases(world):
            url = market.url(service) + path
            if (await client.post(url, json=body)).status_code != 401:
                wrong.append(f"{label} without a token is not 401")
            for who in forbidden:
                response = await client.post(url, json=body,
                                       headers={"Authorization": f"Bearer {tokens[who]}"})
                if response.status_code != 403:
                    wrong.append(f"{label} as {who}: {response.status_code} "
                                 f"{response.text[:160]}")
    assert wrong == []


WRITES = ("post", "put", "patch", "delete")
# Who may call each write operation (API.md); every other role gets 403.
MAY: dict[tuple[str, str, str], set[str]] = {
    **{(service, "POST", "/admin/replay"): {"admin"} for service in SERVICES},
    ("listings", "POST", "/organizations"): {"operator", "broker"},
    ("listings", "POST", "/brokers"): {"operator"},
    ("listings", "PATCH", "/brokers/{broker_id}"): {"operator"},
    **{("listings", method, path): {"broker"} for method, path in (
        ("POST", "/offers"), ("PATCH", "/offers/{listing_id}"),
        ("POST", "/offers/{listing_id}/publish"), ("POST", "/offers/{listing_id}/withdraw"))},
    **{("listings", method, path): {"broker", "enterprise"} for method, path in (
        ("POST", "/needs"), ("PATCH", "/needs/{listing_id}"),
        ("POST", "/needs/{listing_id}/publish"), ("POST", "/needs/{listing_id}/withdraw"))},
    ("matching", "POST", "/search"): set(ROLES),  # a read with a body
    ("deals", "POST", "/deals"): {"broker"},
    ("deals", "POST", "/deals/{deal_id}/contract"): {"broker"},
    ("deals", "POST", "/deals/{deal_id}/registration"): {"broker"},
    ("deals", "POST", "/deals/{deal_id}/review"): {"operator"},
    ("deals", "POST", "/deals/{deal_id}/complete"): {"broker"},
    ("deals", "POST", "/deals/{deal_id}/terminate"): {"broker"},
    ("vouchers", "POST", "/programs"): {"operator"},
    ("vouchers", "POST", "/programs/{program_id}/vouchers"): {"operator"},
    ("vouchers", "POST", "/vouchers/{voucher_id}/reservations"): {"enterprise"},
    ("vouchers", "POST", "/reservations/{reservation_id}/redeem"): {"enterprise"},
    ("vouchers", "POST", "/reservations/{reservation_id}/release"): {"enterprise", "operator"},
    ("vouchers", "POST", "/settlements/{provider_org_id}/pay"): {"operator"},
}
# Reads that need no token; every other read answers 401 without one.
PUBLIC_READS = {(service, path) for service in SERVICES
                for path in ("/healthz", "/readyz", "/metrics")} | {
    ("deals", "/registrations/{registration_no}")}


async def operations(market: Market) -> list[tuple[str, str, str]]:
    """(service, METHOD, path template) of every operation the services document."""
    found = []
    async with httpx.AsyncClient(timeout=30) as client:
        for service in SERVICES:
            document = (await client.get(market.url(service) + "/openapi.json")).json()
            found += [(service, method.upper(), path)
                      for path, operations in document["paths"].items()
                      for method in operations]
    return found


def _writes(found: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    return {op for op in found if op[1].lower() in WRITES or op[2].startswith("/admin/")}


def _concrete(path: str) -> str:
    """The path with each parameter a fresh id: no resource it names exists."""
    return re.sub(r"\{[^}]+\}", lambda _: str(uuid.uuid4()), path)


async def test_every_write_operation_is_in_the_matrix(market: Market) -> None:
    assert _writes(await operations(market)) == set(MAY)


async def test_each_role_may_call_only_what_the_matrix_allows(market: Market) -> None:
    wrong: list[str] = []
    async with httpx.AsyncClient(timeout=30) as client:
        for service, method, path in sorted(_writes(await operations(market))):
            url, label = market.url(service) + _concrete(path), f"{service} {method} {path}"
            if (await client.request(method, url, json={})).status_code != 401:
                wrong.append(f"{label} without a token is not 401")
            for role in ROLES:
                status = (await client.request(method, url, json={},
                                               headers=auth(role, "BJ"))).status_code
                allowed = role in MAY.get((service, method, path), set())
                gated_right = status not in (401, 403) if allowed else status == 403
                if not gated_right:
                    wrong.append(f"{label} as {role}: {status}")
                elif not 400 <= status < 500 and path != "/search":
                    wrong.append(f"{label} as {role} with no valid input: {status}")
    assert wrong == []


async def test_every_read_but_the_public_ones_needs_a_token(market: Market) -> None:
    wrong: list[str] = []
    async with httpx.AsyncClient(timeout=30) as client:
        for service, method, path in await operations(market):
            if method != "GET" or (service, path) in PUBLIC_READS:
                continue
            response = await client.get(market.url(service) + _concrete(path))
            if response.status_code != 401:
                wrong.append(f"{service} GET {path} without a token: {response.status_code}")
    assert wrong == []


async def test_the_public_certificate_needs_no_token(market: Market) -> None:
    """An unknown registration number is looked up, not refused for want of a token: 404 (or
    422 when the query the verification needs is missing), never 401 or 403."""
    async with market.client("deals") as client:
        response = await client.get("/registrations/BJ-2026-NO-SUCH-0001")
    assert response.status_code in (404, 422), response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_another_callers_idempotency_key_gets_its_own_answer(market: Market) -> None:
    key = f"shared-{uuid.uuid4()}"
    first_body, second_body = organization("BJ"), organization("BJ")
    async with market.client("listings") as client:
        first = await client.post("/organizations", json=first_body, headers={
            **auth("operator", "BJ", sub="operator-first"), "Idempotency-Key": key})
        second = await client.post("/organizations", json=second_body, headers={
            **auth("operator", "BJ", sub="operator-second"), "Idempotency-Key": key})
        refused = await client.post("/organizations", json=first_body, headers={
            **auth("enterprise", "BJ", sub="operator-first"), "Idempotency-Key": key})
        again = await client.post("/organizations", json=first_body, headers={
            **auth("operator", "BJ", sub="operator-first"), "Idempotency-Key": key})
    assert (first.status_code, second.status_code) == (201, 201), second.text
    assert second.json()["id"] != first.json()["id"]
    assert second.json()["credit_code"] == second_body["credit_code"]
    assert refused.status_code == 403
    assert again.status_code == 201 and again.json() == first.json()
