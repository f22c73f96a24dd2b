"""Authorisation matrix: every write endpoint, tried with each role and with tokens of
another organisation or region. Every case API.md does not allow answers 403 (and so
writes nothing); a missing token answers 401."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.support.data import organization
from tests.support.journey import Api, contract_body, run_journey
from tests.support.market import Market, token

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
