"""The background job expires open listings past valid_until / deadline, with an event;
a listing in a deal waits for the deal instead."""

from __future__ import annotations

import uuid

from tests.support.listings import broker_desk, created, events_of, need_body, offer_body, published
from tests.support.market import Market, eventually

YESTERDAY_IN_BEIJING = "((now() AT TIME ZONE 'Asia/Shanghai')::date - 1)"


async def test_lapsed_listings_expire_with_their_events(market: Market) -> None:
    desk = await broker_desk(market, "TJ", kinds=("university", "enterprise"))
    offer = await published(market, "/offers", offer_body(desk.clients[0]), desk.headers)
    draft = await created(market, "/offers", offer_body(desk.clients[0]), desk.headers)
    dealt = await published(market, "/offers", offer_body(desk.clients[0]), desk.headers)
    need = await published(market, "/needs", need_body(desk.clients[1]), desk.headers)
    conn = await market.db("listings")
    try:
        async with conn.transaction():  # one commit: the job sees all of it in one run
            await conn.execute(f"UPDATE offers SET valid_until = {YESTERDAY_IN_BEIJING}, "
                               "status = CASE WHEN id = $2 THEN 'in_deal' ELSE status END "
                               "WHERE id = ANY($1::uuid[])",
                               [uuid.UUID(o["id"]) for o in (offer, draft, dealt)],
                               uuid.UUID(dealt["id"]))
            await conn.execute(f"UPDATE needs SET deadline = {YESTERDAY_IN_BEIJING} "
                               "WHERE id = $1", uuid.UUID(need["id"]))
    finally:
        await conn.close()

    async def statuses() -> list[str] | None:
        rows = await market.fetch("listings", "SELECT id::text, status FROM offers WHERE id = "
                                  "ANY($1::uuid[]) UNION ALL SELECT id::text, status FROM needs "
                                  "WHERE id=$2", [uuid.UUID(o["id"]) for o in (offer, draft)],
                                  uuid.UUID(need["id"]))
        found = [row["status"] for row in rows]
        return found if found == ["expired"] * 3 else None

    await eventually(statuses, timeout=30)
    kind, change = (await events_of(market, offer["id"]))[-1]
    assert (kind, change["status"], change["version"]) == ("offer.expired", "expired", 3)
    assert [kind for kind, _ in await events_of(market, draft["id"])] == ["offer.expired"]
    assert (await events_of(market, need["id"]))[-1][0] == "need.expired"
    assert await market.fetchval("listings", "SELECT status FROM offers WHERE id=$1",
                                 uuid.UUID(dealt["id"])) == "in_deal"


async def test_a_lapsed_draft_cannot_be_published(market: Market) -> None:
    desk = await broker_desk(market)
    draft = await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    await market.fetch("listings", f"UPDATE offers SET valid_until = {YESTERDAY_IN_BEIJING} "
                       "WHERE id = $1", uuid.UUID(draft["id"]))
    async with market.client("listings") as client:
        response = await client.post(f"/offers/{draft['id']}/publish", headers=desk.headers)
    # Either the publish saw the lapsed date first, or the expiry job did.
    problem = response.json()
    if response.status_code == 422:
        assert problem["errors"][0]["field"] == "valid_until"
    else:
        assert response.status_code == 409 and "expired" in problem["detail"]
