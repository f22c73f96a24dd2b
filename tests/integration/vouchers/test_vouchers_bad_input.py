"""Bad input on every vouchers endpoint: a 4xx problem document, never a 500, nothing written."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest

from shared.settings import DEV_JWT_SECRET
from tests.support.market import TEST_JWT_SECRET, auth
from tests.support.vouchers.world import VouchersWorld, enterprise, operator, program_body

MEGABYTE = "字" * (1024 * 1024 // 3)
HUGE_LIST = ["service.technical"] * 50_000


@pytest.fixture(scope="module")
async def scene(world: VouchersWorld) -> AsyncIterator[dict[str, Any]]:
    firm = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    deal = await world.sign(lab, "BJ", firm, "HE", tech_amount_fen=1_000_000)
    async with world.client() as client:
        program = await world.open_program(client, "HE")
        voucher = await world.issue(client, program, firm, 100_000)
        reservation = (await world.reserve(client, voucher, deal, 10_000)).json()
    await world.register(deal)
    yield {"firm": firm, "lab": lab, "deal": deal, "program": program, "voucher": voucher,
           "reservation": reservation}


async def footprint(world: VouchersWorld, scene: dict[str, Any]) -> tuple[Any, ...]:
    """Everything a bad request could have written about the scene's objects."""
    voucher = uuid.UUID(scene["voucher"]["id"])
    return (
        await world.fetchval("SELECT count(*) FROM programs WHERE issuer_region = 'HE'"),
        await world.fetchval("SELECT count(*) FROM vouchers WHERE program_id = $1",
                             uuid.UUID(scene["program"]["id"])),
        await world.fetch("SELECT id, status, version FROM reservations WHERE voucher_id = $1",
                          voucher),
        await world.fetchval("SELECT count(*) FROM ledger_transfers WHERE voucher_id = $1",
                             voucher),
        await world.fetchval("SELECT count(*) FROM ledger_transfers WHERE code = 7 AND "
                             "provider_org_id = $1", scene["lab"]),
        await world.fetchval("SELECT count(*) FROM outbox WHERE key = ANY($1::text[])",
                             [scene["program"]["id"], scene["voucher"]["id"]]),
    )


def bad_requests(s: dict[str, Any]) -> list[tuple[str, str, str, Any, dict[str, str]]]:
    program, voucher, reservation = s["program"]["id"], s["voucher"]["id"], s["reservation"]["id"]
    he, firm = operator("HE"), enterprise(s["firm"], "HE")
    reserve = {"deal_id": str(s["deal"].deal_id), "provider_org_id": str(s["lab"]),
               "amount_fen": 1_000}
    return [
        # name, method, path, json body (or raw bytes), headers
        ("budget as text", "POST", "/programs", program_body("HE", budget_fen="100"), he),
        ("budget as float", "POST", "/programs", program_body("HE", budget_fen=100.0), he),
        ("budget as bool", "POST", "/programs", program_body("HE", budget_fen=True), he),
        ("budget null", "POST", "/programs", program_body("HE", budget_fen=None), he),
        ("budget negative", "POST", "/programs", program_body("HE", budget_fen=-1), he),
        ("budget beyond bigint", "POST", "/programs", program_body("HE", budget_fen=2**70), he),
        ("share as float", "POST", "/programs", program_body("HE", max_share_bp=0.5), he),
        ("year as text", "POST", "/programs", program_body("HE", year="2026"), he),
        ("region as number", "POST", "/programs", program_body("HE", issuer_region=11), he),
        ("region malformed", "POST", "/programs", program_body("HE", issuer_region="H-E"), he),
        ("types not a list", "POST", "/programs",
         program_body("HE", eligible_contract_types="consulting"), he),
        ("catalog of non-uuids", "POST", "/programs",
         program_body("HE", provider_catalog=["lab-1"]), he),
        ("date as number", "POST", "/programs", program_body("HE", use_by=20261231), he),
        ("date nonsense", "POST", "/programs", program_body("HE", use_by="2026-13-45"), he),
        ("timeout zero", "POST", "/programs",
         program_body("HE", reservation_timeout_seconds=0), he),
        ("unknown field", "POST", "/programs", program_body("HE", owner="me"), he),
        ("missing fields", "POST", "/programs", {"issuer_region": "HE"}, he),
        ("1 MB name", "POST", "/programs", program_body("HE", name=MEGABYTE), he),
        ("long name", "POST", "/programs", program_body("HE", name="x" * 5_000), he),
        ("huge array", "POST", "/programs",
         program_body("HE", eligible_contract_types=HUGE_LIST), he),
        ("not json", "POST", "/programs", b"{budget_fen: 1", he),
        ("json array", "POST", "/programs", [1, 2, 3], he),
        ("voucher amount float", "POST", f"/programs/{program}/vouchers",
         {"enterprise_org_id": str(s["firm"]), "amount_fen": 10.5}, he),
        ("voucher amount negative", "POST", f"/programs/{program}/vouchers",
         {"enterprise_org_id": str(s["firm"]), "amount_fen": -10}, he),
        ("voucher org not uuid", "POST", f"/programs/{program}/vouchers",
         {"enterprise_org_id": "not-a-uuid", "amount_fen": 10}, he),
        ("program id not uuid", "POST", "/programs/123/vouchers",
         {"enterprise_org_id": str(s["firm"]), "amount_fen": 10}, he),
        ("program id 60 kB", "GET", f"/programs/{'a' * 60_000}", None, he),
        ("reserve amount text", "POST", f"/vouchers/{voucher}/reservations",
         {**reserve, "amount_fen": "1000"}, firm),
        ("reserve amount float", "POST", f"/vouchers/{voucher}/reservations",
         {**reserve, "amount_fen": 999.99}, firm),
        ("reserve negative", "POST", f"/vouchers/{voucher}/reservations",
         {**reserve, "amount_fen": -1_000}, firm),
        ("reserve huge", "POST", f"/vouchers/{voucher}/reservations",
         {**reserve, "amount_fen": 10**30}, firm),
        ("reserve deal not uuid", "POST", f"/vouchers/{voucher}/reservations",
         {**reserve, "deal_id": "deal-1"}, firm),
        ("reserve list body", "POST", f"/vouchers/{voucher}/reservations", [reserve] * 1000,
         firm),
        ("voucher id not uuid", "POST", "/vouchers/x/reservations", reserve, firm),
        ("redeem amount float", "POST", f"/reservations/{reservation}/redeem",
         {"amount_fen": 1.0}, firm),
        ("redeem nothing", "POST", f"/reservations/{reservation}/redeem", {}, firm),
        ("redeem zero", "POST", f"/reservations/{reservation}/redeem", {"amount_fen": 0}, firm),
        ("redeem more than held", "POST", f"/reservations/{reservation}/redeem",
         {"amount_fen": 10_001}, firm),
        ("redeem id not uuid", "POST", "/reservations/%00/redeem", {"amount_fen": 1}, firm),
        ("release extra field", "POST", f"/reservations/{reservation}/release",
         {"why": "no"}, firm),
        ("release 1 MB reason", "POST", f"/reservations/{reservation}/release",
         {"reason": MEGABYTE}, firm),
        ("pay region malformed", "POST", f"/settlements/{s['lab']}/pay",
         {"issuer_region": "HEBEI!"}, he),
        ("pay unknown region", "POST", f"/settlements/{s['lab']}/pay",
         {"issuer_region": "SH"}, he),
        ("pay id not uuid", "POST", "/settlements/lab/pay", None, he),
        ("settlements region", "GET", "/settlements?issuer_region=Hebei", None, he),
        ("settlements unknown region", "GET", "/settlements?provider_region=XX", None, he),
        ("list limit 0", "GET", "/vouchers?limit=0", None, firm),
        ("list limit huge", "GET", "/vouchers?limit=100000", None, firm),
        ("list cursor forged", "GET", "/vouchers?cursor=bm90LWEtY3Vyc29y", None, firm),
        ("list org not uuid", "GET", "/vouchers?enterprise_org_id=me", None, firm),
        ("transfers cursor forged", "GET", f"/programs/{program}/transfers?cursor=%%%",
         None, he),
    ]


async def test_bad_input_is_a_problem_and_writes_nothing(world: VouchersWorld,
                                                         scene: dict[str, Any]) -> None:
    before = await footprint(world, scene)
    answers = {}
    async with world.client() as client:
        for name, method, path, body, headers in bad_requests(scene):
            if isinstance(body, bytes):
                response = await client.request(method, path, content=body, headers={
                    **headers, "content-type": "application/json"})
            else:
                response = await client.request(method, path, json=body, headers=headers)
            answers[name] = response
    assert {n: r.status_code for n, r in answers.items() if not 400 <= r.status_code < 500
            } == {}
    for name, response in answers.items():
        assert response.headers["content-type"] == "application/problem+json", name
        problem = response.json()
        assert {"type", "title", "status", "detail"} <= set(problem), name
        assert "Traceback" not in response.text, name
        if response.status_code == 422:
            assert problem.get("errors"), name  # names the field
    assert answers["1 MB name"].status_code == 413
    assert answers["budget beyond bigint"].json()["errors"][0]["field"] == "budget_fen"
    assert answers["reserve huge"].json()["errors"][0]["field"] == "amount_fen"
    assert answers["redeem more than held"].json()["errors"][0]["code"] == "over_reserved"
    assert answers["pay unknown region"].json()["errors"][0]["code"] == "unknown_region"
    assert await footprint(world, scene) == before


def without(claims: dict[str, Any], name: str) -> dict[str, Any]:
    return {key: value for key, value in claims.items() if key != name}


def forged_tokens(firm: uuid.UUID) -> dict[str, dict[str, str]]:
    now = int(time.time())
    claims = {"sub": "x", "role": "enterprise", "region": "HE", "org": str(firm),
              "iat": now, "exp": now + 600, "iss": "techmarket", "aud": "techmarket"}
    market_secret = TEST_JWT_SECRET

    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    return {
        "no token": {},
        "not bearer": {"Authorization": f"Basic {jwt.encode(claims, market_secret)}"},
        "other secret": bearer(jwt.encode(claims, "a-secret-that-is-not-the-markets-own-32b")),
        "the development secret": bearer(jwt.encode(claims, DEV_JWT_SECRET)),
        "expired": bearer(jwt.encode({**claims, "exp": now - 100}, market_secret)),
        "unknown role": bearer(jwt.encode({**claims, "role": "root"}, market_secret)),
        "no issuer": bearer(jwt.encode(without(claims, "iss"), market_secret)),
        "other issuer": bearer(jwt.encode({**claims, "iss": "elsewhere"}, market_secret)),
        "no audience": bearer(jwt.encode(without(claims, "aud"), market_secret)),
        "other audience": bearer(jwt.encode({**claims, "aud": "bank"}, market_secret)),
        "no issued-at": bearer(jwt.encode(without(claims, "iat"), market_secret)),
        "lives too long": bearer(jwt.encode({**claims, "exp": now + 8 * 24 * 3600},
                                            market_secret)),
        "over-long sub": bearer(jwt.encode({**claims, "sub": "s" * 5000}, market_secret)),
        "alg none": bearer(jwt.encode(claims, None, algorithm="none")),
        "garbage": bearer("eyJhbGciOi.not.a.token"),
        "tampered": bearer(jwt.encode(claims, market_secret)[:-3] + "abc"),
    }


async def test_forged_tokens_are_401_and_write_nothing(world: VouchersWorld,
                                                       scene: dict[str, Any]) -> None:
    before = await footprint(world, scene)
    voucher, reservation = scene["voucher"]["id"], scene["reservation"]["id"]
    reserve = {"deal_id": str(scene["deal"].deal_id), "provider_org_id": str(scene["lab"]),
               "amount_fen": 1_000}
    async with world.client() as client:
        for name, headers in forged_tokens(scene["firm"]).items():
            for method, path, body in (
                    ("POST", "/programs", program_body("HE")),
                    ("POST", f"/vouchers/{voucher}/reservations", reserve),
                    ("POST", f"/reservations/{reservation}/redeem", {"amount_fen": 1}),
                    ("POST", f"/reservations/{reservation}/release", None),
                    ("GET", f"/vouchers/{voucher}", None),
                    ("GET", "/ledger/check", None)):
                response = await client.request(method, path, json=body, headers=headers)
                assert response.status_code == 401, (name, path, response.text)
                assert response.headers["www-authenticate"].startswith("Bearer")
    assert await footprint(world, scene) == before


async def test_roles_that_may_not_act_are_403(world: VouchersWorld,
                                              scene: dict[str, Any]) -> None:
    voucher, reservation = scene["voucher"]["id"], scene["reservation"]["id"]
    lab_token = enterprise(scene["lab"], "BJ")
    async with world.client() as client:
        answers = [
            await client.get("/ledger/check", headers=enterprise(scene["firm"], "HE")),
            await client.get("/settlements", headers=enterprise(scene["firm"], "HE")),
            await client.post(f"/settlements/{scene['lab']}/pay", headers=lab_token),
            await client.post(f"/reservations/{reservation}/redeem", json={"amount_fen": 1},
                              headers=lab_token),
            await client.get(f"/vouchers/{voucher}", headers=lab_token),
            await client.get("/vouchers", headers=auth("broker", "HE", sub="b")),
        ]
    assert [a.status_code for a in answers] == [403] * len(answers)
