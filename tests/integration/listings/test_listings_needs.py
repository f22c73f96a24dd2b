"""Needs: posted by a broker for a client or by an enterprise for itself, with the same
lifecycle and events as offers."""

from __future__ import annotations

from tests.support.listings import broker_desk, count, created, events_of, need_body, register
from tests.support.market import Market, auth


async def test_enterprise_posts_and_publishes_its_own_need(market: Market) -> None:
    buyer = await register(market, "HE")
    me = auth("enterprise", "HE", org=buyer)
    body = need_body(buyer)
    need = await created(market, "/needs", body, me)
    assert need["status"] == "draft" and need["region"] == "HE" and need["version"] == 1
    for field, value in body.items():
        assert need[field] == value, field
    async with market.client("listings") as client:
        response = await client.post(f"/needs/{need['id']}/publish", headers=me)
    assert response.status_code == 200 and response.json()["status"] == "published"
    [(kind, snapshot)] = await events_of(market, need["id"])
    assert kind == "need.published"
    assert snapshot["need_id"] == need["id"] and snapshot["buyer_org_id"] == buyer
    assert snapshot["budget_max_fen"] == body["budget_max_fen"]
    assert snapshot["cross_region_ok"] is True and snapshot["region"] == "HE"


async def test_enterprise_acts_only_for_its_own_organization(market: Market) -> None:
    buyer, other = await register(market, "TJ"), await register(market, "TJ")
    need = await created(market, "/needs", need_body(buyer), auth("enterprise", "TJ", org=buyer))
    before = await count(market, "needs")
    async with market.client("listings") as client:
        post = await client.post("/needs", json=need_body(buyer),
                                 headers=auth("enterprise", "TJ", org=other))
        publish = await client.post(f"/needs/{need['id']}/publish",
                                    headers=auth("enterprise", "TJ", org=other))
        no_org = await client.post("/needs", json=need_body(buyer), headers=auth("enterprise"))
        provider = await client.post("/needs", json=need_body(buyer),
                                     headers=auth("provider", "TJ", org=buyer))
    assert [r.status_code for r in (post, publish, no_org, provider)] == [403, 403, 403, 403]
    assert await count(market, "needs") == before


async def test_broker_posts_a_need_for_its_client(market: Market) -> None:
    desk = await broker_desk(market, "BJ", kinds=("enterprise",))
    need = await created(market, "/needs", need_body(desk.client_id, cross_region_ok=False,
                                                      min_trl=None, budget_min_fen=None),
                         desk.headers)
    assert need["cross_region_ok"] is False and need["min_trl"] is None
    async with market.client("listings") as client:
        withdraw = await client.post(f"/needs/{need['id']}/withdraw", headers=desk.headers)
    assert withdraw.json()["status"] == "withdrawn"
    assert [kind for kind, _ in await events_of(market, need["id"])] == ["need.withdrawn"]


async def test_published_need_change_emits_updated(market: Market) -> None:
    buyer = await register(market, "BJ")
    me = auth("enterprise", "BJ", org=buyer)
    need = await created(market, "/needs", need_body(buyer), me)
    async with market.client("listings") as client:
        await client.post(f"/needs/{need['id']}/publish", headers=me)
        changed = await client.patch(f"/needs/{need['id']}",
                                     json={"budget_max_fen": 300_000_000, "deadline": None},
                                     headers={**me, "If-Match": '"2"'})
        fixed = await client.patch(f"/needs/{need['id']}", json={"budget_max_fen": 300_000_000},
                                   headers={**me, "If-Match": '"2"'})
    assert changed.status_code == 422  # a need keeps a deadline
    assert fixed.status_code == 200 and fixed.json()["status"] == "published"
    kind, snapshot = (await events_of(market, need["id"]))[-1]
    assert (kind, snapshot["budget_max_fen"], snapshot["version"]) == (
        "need.updated", 300_000_000, 3)
