"""A deal may be opened the moment listings answered the publish call: when the replica has
not caught up, deals reads the listing (and the broker) through the listings API."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from tests.support.deals import TODAY, new_organization
from tests.support.market import Market, auth


async def _listings(market: Market, method: str, path: str, headers: dict[str, str],
                    body: dict[str, Any] | None = None) -> dict[str, Any]:
    async with market.client("listings") as client:
        answer = await client.request(method, path, json=body, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json())


async def _broker_of(market: Market, *clients: uuid.UUID) -> dict[str, str]:
    """A broker registered through listings' POST /brokers; its token headers."""
    agency = await new_organization(market, "BJ", kind="broker_agency", small_firm=False)
    broker = await _listings(market, "POST", "/brokers", auth("operator", "BJ"), {
        "name": "李经纪", "certificate_no": f"BJ-JSJJ-{uuid.uuid4().hex[:8]}", "region": "BJ",
        "agency_org_id": str(agency), "represents": [str(c) for c in clients]})
    return auth("broker", "BJ", org=agency, sub=broker["id"])


def _offer(owner: uuid.UUID) -> dict[str, Any]:
    return {"owner_org_id": str(owner), "kind": "technology", "title": "钠离子电池负极材料",
            "summary": "硬碳负极量产工艺", "description": "以生物质为前驱体的硬碳负极材料制备工艺",
            "industry": "new_materials", "keywords": ["钠离子电池", "硬碳"], "trl": 6,
            "modes": ["transfer", "license"], "asking_price_fen": 80_000_000,
            "valid_until": (TODAY + timedelta(days=365)).isoformat()}


def _need(buyer: uuid.UUID) -> dict[str, Any]:
    return {"buyer_org_id": str(buyer), "title": "钠电负极材料工艺", "industry": "new_materials",
            "description": "寻求可量产的钠离子电池硬碳负极工艺", "keywords": ["钠离子电池"],
            "modes": ["transfer"], "deadline": (TODAY + timedelta(days=90)).isoformat()}


async def test_a_deal_opens_right_after_its_offer_and_need_are_published(
        market: Market) -> None:
    seller = await new_organization(market, "BJ", kind="institute", small_firm=False)
    buyer = await new_organization(market, "HE")
    broker = await _broker_of(market, seller, buyer)
    for attempt in range(5):
        offer = await _listings(market, "POST", "/offers", broker, _offer(seller))
        need = await _listings(market, "POST", "/needs", broker, _need(buyer))
        await _listings(market, "POST", f"/offers/{offer['id']}/publish", broker)
        await _listings(market, "POST", f"/needs/{need['id']}/publish", broker)
        async with market.client("deals") as client:
            opened = await client.post("/deals", headers=broker, json={
                "offer_id": offer["id"], "need_id": need["id"], "seller_org_id": str(seller),
                "buyer_org_id": str(buyer), "title": f"钠电负极技术转让 {attempt}"})
        assert opened.status_code == 201, opened.text
        assert (opened.json()["offer_id"], opened.json()["need_id"]) == (offer["id"],
                                                                        need["id"])


async def test_a_draft_offer_is_409_naming_its_status(market: Market) -> None:
    seller = await new_organization(market, "TJ")
    buyer = await new_organization(market, "HE")
    broker = await _broker_of(market, seller, buyer)
    draft = await _listings(market, "POST", "/offers", broker, _offer(seller))
    async with market.client("deals") as client:
        refused = await client.post("/deals", headers=broker, json={
            "offer_id": draft["id"], "seller_org_id": str(seller), "buyer_org_id": str(buyer),
            "title": "草稿成果"})
    assert refused.status_code == 409 and "draft" in refused.json()["detail"]
    assert await market.fetchval("deals", "SELECT count(*) FROM deals WHERE offer_id=$1",
                                 uuid.UUID(draft["id"])) == 0
