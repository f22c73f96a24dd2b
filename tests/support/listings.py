"""Parties and bodies the listings integration tests share: an agency with a broker that
represents a few organisations, valid offers and needs, and a look at the outbox."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import orjson

from tests.support.data import organization
from tests.support.market import Market, auth

PATENT = "ZL201720001285.X"  # a granted utility-model patent with a correct check character


@dataclass
class Desk:
    """A broker at its agency, the organisations it represents and its token headers."""

    region: str
    agency_id: str
    broker_id: str
    clients: list[str]
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def client_id(self) -> str:
        return self.clients[0]


async def register(market: Market, region: str = "BJ", kind: str = "enterprise",
                   **changes: Any) -> str:
    async with market.client("listings") as client:
        response = await client.post("/organizations", json={**organization(region, kind),
                                                             **changes},
                                     headers=auth("operator", region))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def broker_desk(market: Market, region: str = "BJ",
                      kinds: tuple[str, ...] = ("university", "enterprise")) -> Desk:
    agency = await register(market, region, "broker_agency")
    clients = [await register(market, region, kind) for kind in kinds]
    async with market.client("listings") as client:
        response = await client.post("/brokers", json=broker_body(region, agency, clients),
                                     headers=auth("operator", region))
    assert response.status_code == 201, response.text
    broker_id = response.json()["id"]
    return Desk(region, agency, broker_id, clients,
                auth("broker", region, org=agency, sub=broker_id))


def broker_body(region: str, agency: str, represents: list[str]) -> dict[str, Any]:
    return {"name": "王晓东", "certificate_no": f"{region}-JSJJ-{uuid.uuid4().hex[:10]}",
            "region": region, "agency_org_id": agency, "represents": represents}


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def offer_body(owner: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "owner_org_id": owner, "kind": "technology", "title": "锂离子电池正极材料制备技术",
        "summary": "高镍三元正极材料的低成本制备工艺。",
        "description": "一、技术背景\n动力电池需要高能量密度的正极材料。\n二、技术方案\n共沉淀法。",
        "industry": "new_energy_vehicles", "keywords": ["正极材料", "高镍三元"], "trl": 6,
        "ip": [{"kind": "patent", "number": PATENT}], "modes": ["license", "transfer"],
        "asking_price_fen": 150_000_000, "valid_until": in_days(365),
    }
    return {**body, **changes}


def need_body(buyer: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "buyer_org_id": buyer, "title": "征集工业废水深度处理技术",
        "description": "我公司印染废水排放指标需提升，征集膜处理与高级氧化组合工艺。",
        "industry": "water_protection", "keywords": ["废水处理", "膜分离"], "min_trl": 6,
        "budget_min_fen": 50_000_000, "budget_max_fen": 200_000_000, "cross_region_ok": True,
        "modes": ["co_development"], "deadline": in_days(180),
    }
    return {**body, **changes}


async def created(market: Market, path: str, body: dict[str, Any],
                  headers: dict[str, str]) -> dict[str, Any]:
    async with market.client("listings") as client:
        response = await client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def published(market: Market, path: str, body: dict[str, Any],
                    headers: dict[str, str]) -> dict[str, Any]:
    listing = await created(market, path, body, headers)
    async with market.client("listings") as client:
        response = await client.post(f"{path}/{listing['id']}/publish", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def events_of(market: Market, aggregate_id: str) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the aggregate's outbox events, oldest first."""
    rows = await market.fetch("listings", "SELECT type, envelope FROM outbox WHERE key=$1 "
                              "ORDER BY id", aggregate_id)
    return [(row["type"], orjson.loads(row["envelope"])["data"]) for row in rows]


async def count(market: Market, table: str) -> int:
    return int(await market.fetchval("listings", f"SELECT count(*) FROM {table}"))
