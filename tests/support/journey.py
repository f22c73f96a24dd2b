"""The market's whole journey, as its users drive it through the public HTTP APIs.

A Beijing university's offer meets a Hebei enterprise's need; a broker carries the deal to a
registered contract; the enterprise pays part of it with its Hebei voucher at the recognised
Beijing provider; the deal completes. Every write carries an Idempotency-Key and is retried
on connection errors, 5xx and "not yet seen" 409s, as a real client would, so the journey
also converges while services are being killed (tests/e2e, bench/journey.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from tests.support.data import credit_code
from tests.support.market import token

RETRYABLE = {409, 425, 429, 500, 502, 503, 504}


class JourneyFailed(AssertionError):
    pass


@dataclass
class Timings:
    steps: dict[str, list[float]] = field(default_factory=dict)

    def add(self, step: str, seconds: float) -> None:
        self.steps.setdefault(step, []).append(seconds)


@dataclass
class Api:
    """Retrying JSON client over the four services."""

    urls: dict[str, str]
    deadline_seconds: float = 120.0
    timings: Timings = field(default_factory=Timings)
    client: httpx.AsyncClient = field(default_factory=lambda: httpx.AsyncClient(timeout=10))

    async def call(self, method: str, service: str, path: str, bearer: str, *,
                   json: Any = None, key: str | None = None, step: str = "",
                   retry_409: bool = False) -> Any:
        headers = {"Authorization": f"Bearer {bearer}"}
        if key:
            headers["Idempotency-Key"] = key
        deadline = time.monotonic() + self.deadline_seconds
        delay = 0.05
        attempts: list[str] = []
        while True:
            started = time.monotonic()
            try:
                response = await self.client.request(method, self.urls[service] + path,
                                                      json=json, headers=headers)
            except httpx.HTTPError as exc:
                response, error = None, repr(exc)
                attempts.append(error[:80])
            else:
                error = response.text
                attempts.append(f"{response.status_code} {error[:120]}")
                if response.status_code < 300:
                    if step:
                        self.timings.add(step, time.monotonic() - started)
                    return response.json()
                if response.status_code not in RETRYABLE or (
                        response.status_code == 409 and not retry_409):
                    raise JourneyFailed(f"{method} {service}{path}: "
                                        f"{response.status_code} {response.text[:500]} "
                                        f"(attempts: {attempts})")
            if time.monotonic() > deadline:
                raise JourneyFailed(f"{method} {service}{path} did not succeed: {error[:500]}")
            await asyncio.sleep(delay)
            delay = min(delay * 2, 1.0)

    async def until(self, service: str, path: str, bearer: str, check: Any,
                    timeout: float | None = None) -> Any:
        deadline = time.monotonic() + (timeout or self.deadline_seconds)
        last: Any = None
        while time.monotonic() < deadline:
            try:
                last = await self.call("GET", service, path, bearer)
                if check(last):
                    return last
            except JourneyFailed as exc:
                last = str(exc)
            await asyncio.sleep(0.1)
        raise JourneyFailed(f"GET {service}{path} never satisfied the check; last: {last}")

    async def close(self) -> None:
        await self.client.aclose()


@dataclass
class Cast:
    """The people of one journey and their organisations."""

    university: str
    enterprise: str
    agency: str
    broker: str

    def broker_token(self) -> str:
        return token("broker", "BJ", org=self.agency, sub=self.broker)

    def enterprise_token(self) -> str:
        return token("enterprise", "HE", org=self.enterprise)


async def register_cast(api: Api, tag: str) -> Cast:
    bj, he = token("operator", "BJ", sub="operator-BJ"), token("operator", "HE", sub="operator-HE")

    async def org(bearer: str, region: str, kind: str, name: str, small: bool) -> str:
        body = {"name": name, "credit_code": credit_code(region), "region": region,
                "kind": kind, "small_firm": small}
        made = await api.call("POST", "listings", "/organizations", bearer, json=body,
                              key=f"{tag}-org-{kind}", step="register organisation")
        return str(made["id"])

    university = await org(bj, "BJ", "university", f"京华理工大学{tag}", False)
    enterprise = await org(he, "HE", "enterprise", f"保定新材料科技有限公司{tag}", True)
    agency = await org(bj, "BJ", "broker_agency", f"北京技术经纪事务所{tag}", False)
    broker = await api.call("POST", "listings", "/brokers", bj, key=f"{tag}-broker", json={
        "name": "王经纪", "certificate_no": f"BJ-JSJJ-{tag}", "region": "BJ",
        "agency_org_id": agency, "represents": [university, enterprise]},
        step="register broker")
    return Cast(university, enterprise, agency, str(broker["id"]))


async def post_listings(api: Api, cast: Cast, tag: str) -> tuple[str, str]:
    broker = cast.broker_token()
    offer = await api.call("POST", "listings", "/offers", broker, key=f"{tag}-offer", json={
        "owner_org_id": cast.university, "kind": "technology",
        "title": "高镍锂离子电池正极材料制备技术",
        "summary": "一种高镍三元正极材料的共沉淀制备工艺，循环寿命长。",
        "description": "本成果涉及锂离子电池正极材料，采用共沉淀与高温固相烧结工艺，"
                       "可用于新能源汽车动力电池。", "industry": "new_energy_vehicles",
        "keywords": ["锂电池", "正极材料", "高镍"], "trl": 6,
        "ip": [{"kind": "patent", "number": "ZL201720001285.X"}],
        "modes": ["transfer", "license"], "asking_price_fen": 80_000_000,
        "valid_until": str(date.today() + timedelta(days=365))}, step="post offer")
    await api.call("POST", "listings", f"/offers/{offer['id']}/publish", broker,
                   key=f"{tag}-offer-publish", step="publish offer")
    need = await api.call("POST", "listings", "/needs", cast.enterprise_token(),
                          key=f"{tag}-need", json={
        "buyer_org_id": cast.enterprise, "title": "寻求锂电池正极材料技术",
        "description": "我公司生产动力电池，需要高镍正极材料制备技术，希望技术转让或许可。",
        "industry": "new_energy_vehicles", "keywords": ["锂电池", "正极材料"], "min_trl": 5,
        "budget_min_fen": 50_000_000, "budget_max_fen": 100_000_000, "cross_region_ok": True,
        "modes": ["transfer", "license"], "deadline": str(date.today() + timedelta(days=180))},
        step="post need")
    await api.call("POST", "listings", f"/needs/{need['id']}/publish", cast.enterprise_token(),
                   key=f"{tag}-need-publish", step="publish need")
    return str(offer["id"]), str(need["id"])


def contract_body(tag: str) -> dict[str, Any]:
    """Each journey signs its own written contract (a document is registered once)."""
    today = date.today()
    return {"type": "transfer.patent", "signed_on": str(today - timedelta(days=1)),
            "valid_from": str(today - timedelta(days=1)),
            "valid_until": str(today + timedelta(days=365)), "total_fen": 80_000_000,
            "deductions": [{"item": "配套检测仪器", "kind": "instruments",
                            "amount_fen": 5_000_000}],
            "ip": [{"kind": "patent", "number": "ZL201720001285.X"}],
            "document_sha256": hashlib.sha256(f"contract {tag}".encode()).hexdigest(),
            "subject": "高镍锂离子电池正极材料制备技术专利权转让，含工艺文件与技术指导",
            "acceptance_criteria": "中试产品循环寿命不低于2000次"}


async def open_program(api: Api, tag: str, budget_fen: int = 1_000_000_000) -> str:
    operator = token("operator", "HE", sub="operator-HE")
    today = date.today()
    program = await api.call("POST", "vouchers", "/programs", operator, key=f"{tag}-program",
                             json={
        "issuer_region": "HE", "name": f"河北省科技创新券{tag}", "year": today.year,
        "budget_fen": budget_fen, "max_share_bp": 3000,
        "cap_per_enterprise_fen": 50_000_000,
        "eligible_contract_types": ["transfer.patent", "service.technical", "license.patent"],
        "recognized_regions": ["BJ", "TJ", "HE"],
        "use_by": str(today + timedelta(days=300)),
        "redeem_by": str(today + timedelta(days=330))}, step="open program")
    return str(program["id"])


async def run_journey(api: Api, tag: str | None = None, program_id: str | None = None,
                      wait_for_match: bool = True) -> dict[str, Any]:
    """Drive one whole journey; returns the ids it created."""
    tag = tag or uuid.uuid4().hex[:12]
    cast = await register_cast(api, tag)
    offer_id, need_id = await post_listings(api, cast, tag)
    broker, enterprise = cast.broker_token(), cast.enterprise_token()
    if wait_for_match:
        await api.until("matching", f"/needs/{need_id}/matches?limit=50", broker,
                        lambda page: any(m["offer_id"] == offer_id for m in page["items"]))
    deal = await api.call("POST", "deals", "/deals", broker, key=f"{tag}-deal", json={
        "offer_id": offer_id, "need_id": need_id, "seller_org_id": cast.university,
        "buyer_org_id": cast.enterprise, "title": "高镍正极材料专利转让"},
        step="open deal", retry_409=True)
    deal_id = str(deal["id"])
    await api.call("POST", "deals", f"/deals/{deal_id}/contract", broker, key=f"{tag}-contract",
                   json=contract_body(tag), step="attach contract")
    program_id = program_id or await open_program(api, tag)
    operator = token("operator", "HE", sub="operator-HE")
    voucher = await api.call("POST", "vouchers", f"/programs/{program_id}/vouchers", operator,
                             key=f"{tag}-voucher", json={"enterprise_org_id": cast.enterprise,
                                                         "amount_fen": 20_000_000},
                             step="issue voucher", retry_409=True)
    reservation = await api.call(
        "POST", "vouchers", f"/vouchers/{voucher['id']}/reservations", enterprise,
        key=f"{tag}-reserve", json={"deal_id": deal_id, "provider_org_id": cast.university,
                                    "amount_fen": 15_000_000},
        step="reserve voucher", retry_409=True)
    registered = await api.call("POST", "deals", f"/deals/{deal_id}/registration", broker,
                                key=f"{tag}-register", json={}, step="register contract")
    await api.call("POST", "vouchers", f"/reservations/{reservation['id']}/redeem", enterprise,
                   key=f"{tag}-redeem", json={"amount_fen": 12_000_000},
                   step="redeem voucher", retry_409=True)
    await api.call("POST", "deals", f"/deals/{deal_id}/complete", broker, key=f"{tag}-complete",
                   json={}, step="complete deal")
    return {"tag": tag, "cast": cast, "offer_id": offer_id, "need_id": need_id,
            "deal_id": deal_id, "registration_no": registered.get("registration_no"),
            "verification_code": (registered.get("certificate") or {}).get("verification_code"),
            "program_id": program_id, "voucher_id": str(voucher["id"]),
            "reservation_id": str(reservation["id"])}
