"""The whole path a broker takes: listings API → outbox → Kafka → matching → ranked."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from tests.support.data import organization
from tests.support.market import Market, auth, eventually
from tests.support.matching.feed import code_word, matches, own, pick_topic, searchable


async def _created(market: Market, path: str, body: dict[str, Any],
                   headers: dict[str, str], status: int = 201) -> dict[str, Any]:
    async with market.client("listings") as client:
        response = await client.post(path, json=body, headers=headers)
    assert response.status_code == status, response.text
    return dict(response.json())


async def _broker_for(market: Market, region: str) -> tuple[dict[str, str], str, str]:
    """A broker's headers and two clients it represents: a university and an enterprise."""
    operator = auth("operator", region)
    agency, university, enterprise = [
        (await _created(market, "/organizations", organization(region, kind), operator))["id"]
        for kind in ("broker_agency", "university", "enterprise")]
    broker = await _created(market, "/brokers", {
        "name": "王晓东", "certificate_no": f"{region}-JSJJ-{uuid.uuid4().hex[:10]}",
        "region": region, "agency_org_id": agency, "represents": [university, enterprise],
    }, operator)
    return auth("broker", region, org=agency, sub=broker["id"]), university, enterprise


async def test_a_listing_published_through_the_listings_api_is_matched(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    headers, university, enterprise = await _broker_for(market, "HE")
    in_a_year = (date.today() + timedelta(days=365)).isoformat()
    offer = await _created(market, "/offers", {
        "owner_org_id": university, "kind": "technology",
        "title": f"{topic.offer_title} {code}", "description": topic.offer_text,
        "industry": "new_materials", "keywords": list(topic.keywords), "trl": 7,
        "modes": ["license"], "asking_price_fen": None, "valid_until": in_a_year}, headers)
    await _created(market, f"/offers/{offer['id']}/publish", {}, headers, 200)
    await searchable(market, code, {offer["id"]})
    need = await _created(market, "/needs", {
        "buyer_org_id": enterprise, "title": f"{topic.need_title} {code}",
        "description": topic.need_text, "industry": "new_materials",
        "keywords": list(topic.keywords), "min_trl": 6, "cross_region_ok": False,
        "modes": ["license"], "deadline": in_a_year}, headers)
    await _created(market, f"/needs/{need['id']}/publish", {}, headers, 200)
    found = own(await matches(market, "need", need["id"]), code)
    assert list(found) == [offer["id"]]
    assert found[offer["id"]]["offer"]["region"] == "HE"
    await _created(market, f"/offers/{offer['id']}/withdraw", {}, headers, 200)

    async def gone() -> bool:
        return not own(await matches(market, "need", need["id"]), code)

    await eventually(gone)
