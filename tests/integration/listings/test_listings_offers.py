"""Offers: posted as drafts by a broker for an organisation it represents, published,
withdrawn and changed (If-Match), each step with its event on the outbox."""

from __future__ import annotations

import uuid

from tests.support.listings import (
    PATENT,
    broker_desk,
    count,
    created,
    events_of,
    offer_body,
    published,
    register,
)
from tests.support.market import Market, auth


async def test_broker_posts_a_draft_offer_with_every_field(market: Market) -> None:
    desk = await broker_desk(market, "TJ")
    body = offer_body(desk.client_id, ip=[{"kind": "patent_application",
                                           "number": "2017 2 0001285 X"}])
    offer = await created(market, "/offers", body, desk.headers)
    assert offer["status"] == "draft" and offer["version"] == 1
    assert offer["region"] == "TJ"  # the owner's region
    assert offer["published_at"] is None and offer["created_at"] and offer["id"]
    for field in ("owner_org_id", "kind", "title", "summary", "description", "industry",
                  "keywords", "trl", "modes", "asking_price_fen", "valid_until"):
        assert offer[field] == body[field], field
    assert offer["ip"] == [{"kind": "patent_application", "number": "201720001285.X",
                            "description": None}]  # stored in canonical form
    async with market.client("listings") as client:
        read = await client.get(f"/offers/{offer['id']}", headers=auth("enterprise"))
    assert read.json() == offer
    assert await events_of(market, offer["id"]) == []  # a draft is not on the market


async def test_service_offer_with_negotiable_price(market: Market) -> None:
    desk = await broker_desk(market, "HE", kinds=("lab",))
    body = offer_body(desk.client_id, kind="service", title="精密零部件三坐标测量服务", trl=9,
                      ip=[], modes=["service"], asking_price_fen=None)
    offer = await created(market, "/offers", body, desk.headers)
    assert offer["kind"] == "service" and offer["asking_price_fen"] is None


async def test_publish_then_withdraw_with_their_events(market: Market) -> None:
    desk = await broker_desk(market)
    offer = await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    path = f"/offers/{offer['id']}"
    async with market.client("listings") as client:
        publish = await client.post(f"{path}/publish", headers=desk.headers)
        withdraw = await client.post(f"{path}/withdraw", headers=desk.headers)
    assert publish.status_code == 200 and publish.json()["status"] == "published"
    assert publish.json()["published_at"] and publish.json()["version"] == 2
    assert withdraw.status_code == 200 and withdraw.json()["status"] == "withdrawn"
    [(first, snapshot), (second, change)] = await events_of(market, offer["id"])
    assert first == "offer.published"
    assert snapshot["offer_id"] == offer["id"] and snapshot["status"] == "published"
    assert snapshot["ip"] == [{"kind": "patent", "number": PATENT}]
    assert snapshot["region"] == "BJ" and snapshot["version"] == 2
    assert second == "offer.withdrawn"
    assert change["status"] == "withdrawn" and change["version"] == 3


async def test_illegal_transitions_are_409_naming_the_state(market: Market) -> None:
    desk = await broker_desk(market)
    offer = await published(market, "/offers", offer_body(desk.client_id), desk.headers)
    path = f"/offers/{offer['id']}"
    async with market.client("listings") as client:
        again = await client.post(f"{path}/publish", headers=desk.headers)
        await client.post(f"{path}/withdraw", headers=desk.headers)
        after = await client.post(f"{path}/withdraw", headers=desk.headers)
        republish = await client.post(f"{path}/publish", headers=desk.headers)
    assert again.status_code == 409 and "published" in again.json()["detail"]
    assert after.status_code == 409 and "withdrawn" in after.json()["detail"]
    assert republish.status_code == 409 and "withdrawn" in republish.json()["detail"]
    assert len(await events_of(market, offer["id"])) == 2


async def test_broker_acts_only_for_organizations_it_represents(market: Market) -> None:
    desk, other = await broker_desk(market), await broker_desk(market)
    stranger = await register(market)
    before = await count(market, "offers")
    offer = await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    async with market.client("listings") as client:
        foreign = await client.post("/offers", json=offer_body(stranger), headers=desk.headers)
        publish = await client.post(f"/offers/{offer['id']}/publish", headers=other.headers)
        forged = await client.post("/offers", json=offer_body(desk.client_id),
                                   headers=auth("broker", sub=str(uuid.uuid4())))
        wrong_agency = await client.post(
            "/offers", json=offer_body(desk.client_id),
            headers=auth("broker", org=other.agency_id, sub=desk.broker_id))
        enterprise = await client.post("/offers", json=offer_body(desk.client_id),
                                       headers=auth("enterprise", org=desk.client_id))
    assert [r.status_code for r in (foreign, publish, forged, wrong_agency, enterprise)] == [
        403, 403, 403, 403, 403]
    assert await count(market, "offers") == before + 1


async def test_unknown_owner_is_422_naming_the_field(market: Market) -> None:
    desk = await broker_desk(market)
    async with market.client("listings") as client:
        response = await client.post("/offers", json=offer_body(str(uuid.uuid4())),
                                     headers=desk.headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "owner_org_id"


async def test_patch_needs_the_current_version(market: Market) -> None:
    desk = await broker_desk(market)
    offer = await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    path, change = f"/offers/{offer['id']}", {"title": "高镍正极材料"}
    async with market.client("listings") as client:
        missing = await client.patch(path, json=change, headers=desk.headers)
        stale = await client.patch(path, json=change, headers={**desk.headers, "If-Match": '"9"'})
        done = await client.patch(path, json=change, headers={**desk.headers, "If-Match": '"1"'})
        replay = await client.patch(path, json=change, headers={**desk.headers, "If-Match": "1"})
    assert missing.status_code == 428 and stale.status_code == 412
    assert done.status_code == 200 and done.json()["title"] == "高镍正极材料"
    assert done.json()["version"] == 2 and done.json()["status"] == "draft"
    assert replay.status_code == 412  # the version moved on
    assert await events_of(market, offer["id"]) == []  # drafts change silently


async def test_patching_a_published_offer_keeps_it_published_and_emits_updated(
        market: Market) -> None:
    desk = await broker_desk(market)
    offer = await published(market, "/offers", offer_body(desk.client_id), desk.headers)
    async with market.client("listings") as client:
        response = await client.patch(
            f"/offers/{offer['id']}", json={"asking_price_fen": 90_000_000, "trl": 7},
            headers={**desk.headers, "If-Match": f'"{offer["version"]}"'})
    assert response.status_code == 200, response.text
    changed = response.json()
    assert changed["status"] == "published" and changed["published_at"] == offer["published_at"]
    assert changed["version"] == offer["version"] + 1
    kind, snapshot = (await events_of(market, offer["id"]))[-1]
    assert kind == "offer.updated"
    assert snapshot["asking_price_fen"] == 90_000_000 and snapshot["trl"] == 7
    assert snapshot["title"] == offer["title"] and snapshot["version"] == changed["version"]


async def test_patch_is_validated_as_the_offer_would_become(market: Market) -> None:
    desk = await broker_desk(market)
    offer = await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    async with market.client("listings") as client:
        response = await client.patch(
            f"/offers/{offer['id']}", json={"trl": 12, "title": None, "owner_org_id": None},
            headers={**desk.headers, "If-Match": '"1"'})
        bad_rules = await client.patch(
            f"/offers/{offer['id']}", json={"trl": 12, "title": "   "},
            headers={**desk.headers, "If-Match": '"1"'})
        read = await client.get(f"/offers/{offer['id']}", headers=desk.headers)
    assert response.status_code == 422  # the owner cannot change
    assert bad_rules.status_code == 422
    assert {e["field"] for e in bad_rules.json()["errors"]} == {"trl", "title"}
    assert read.json() == offer


async def test_withdrawn_offer_cannot_be_changed(market: Market) -> None:
    desk = await broker_desk(market)
    offer = await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    async with market.client("listings") as client:
        await client.post(f"/offers/{offer['id']}/withdraw", headers=desk.headers)
        response = await client.patch(f"/offers/{offer['id']}", json={"trl": 7},
                                      headers={**desk.headers, "If-Match": '"2"'})
    assert response.status_code == 409 and "withdrawn" in response.json()["detail"]


async def test_unknown_offer_is_404(market: Market) -> None:
    desk = await broker_desk(market)
    missing = uuid.uuid4()
    async with market.client("listings") as client:
        read = await client.get(f"/offers/{missing}", headers=desk.headers)
        publish = await client.post(f"/offers/{missing}/publish", headers=desk.headers)
    assert read.status_code == publish.status_code == 404


async def test_create_is_idempotent_with_a_key(market: Market) -> None:
    desk = await broker_desk(market)
    headers = {**desk.headers, "Idempotency-Key": f"offer-{uuid.uuid4()}"}
    body = offer_body(desk.client_id)
    async with market.client("listings") as client:
        first = await client.post("/offers", json=body, headers=headers)
        second = await client.post("/offers", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert await market.fetchval("listings", "SELECT count(*) FROM offers WHERE owner_org_id=$1",
                                 uuid.UUID(desk.client_id)) == 1
