"""Who may act on and see a deal: brokers of its parties, its parties, operators of its
regions; and the list of deals each of them gets."""

from __future__ import annotations

import uuid

import pytest

from tests.support.deals import (
    contract,
    new_broker,
    new_organization,
    new_parties,
    open_deal,
    registered_deal,
    signed_deal,
)
from tests.support.market import Market, auth


async def test_a_broker_acts_only_for_the_organizations_it_represents(market: Market) -> None:
    parties = await new_parties(market)
    stranger = await new_broker(market, [await new_organization(market)])
    async with market.client("deals") as client:
        refused = await client.post("/deals", json=parties.deal(), headers=stranger.headers)
        assert refused.status_code == 403
        deal = await open_deal(market, parties)
        for path, body in ((f"/deals/{deal['id']}/contract", contract()),
                           (f"/deals/{deal['id']}/terminate", {"reason": "冒名"}),
                           (f"/deals/{deal['id']}/complete", None)):
            answer = await client.post(path, json=body, headers=stranger.headers)
            assert answer.status_code == 403, (path, answer.text)
        seen = await client.get(f"/deals/{deal['id']}", headers=stranger.headers)
        assert seen.status_code == 403
    assert await market.fetchval("deals", "SELECT count(*) FROM deals WHERE seller_org_id=$1",
                                 parties.seller) == 1


async def test_only_the_sellers_broker_registers(market: Market) -> None:
    parties = await new_parties(market)
    buyers_broker = await new_broker(market, [parties.buyer], parties.buyer_region)
    deal = await signed_deal(market, parties)
    async with market.client("deals") as client:
        refused = await client.post(f"/deals/{deal['id']}/registration",
                                    headers=buyers_broker.headers)
        # The buyer's broker may still sign and terminate for its client.
        amended = await client.post(f"/deals/{deal['id']}/contract", json=contract(),
                                    headers=buyers_broker.headers)
    assert refused.status_code == 403 and "represents neither" in refused.json()["detail"]
    assert amended.status_code == 200


@pytest.mark.parametrize("sub", ["not-a-uuid", str(uuid.uuid4())])
async def test_an_unknown_broker_is_403(market: Market, sub: str) -> None:
    parties = await new_parties(market)
    async with market.client("deals") as client:
        answer = await client.post("/deals", json=parties.deal(),
                                   headers=auth("broker", "BJ", sub=sub))
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")


async def test_parties_and_operators_of_their_regions_see_a_deal(market: Market) -> None:
    parties = await new_parties(market, "BJ", "HE")
    deal = await open_deal(market, parties)
    path = f"/deals/{deal['id']}"
    allowed = [auth("enterprise", "HE", org=parties.buyer),
               auth("provider", "BJ", org=parties.seller),
               auth("operator", "HE"), auth("operator", "BJ"), auth("service", "BJ")]
    denied = [auth("enterprise", "HE", org=uuid.uuid4()), auth("operator", "TJ"),
              auth("enterprise", "HE")]
    async with market.client("deals") as client:
        for headers in allowed:
            answer = await client.get(path, headers=headers)
            assert answer.status_code == 200 and answer.json()["id"] == deal["id"]
        for headers in denied:
            assert (await client.get(path, headers=headers)).status_code == 403
        assert (await client.get(path)).status_code == 401
        missing = await client.get(f"/deals/{uuid.uuid4()}", headers=auth("operator", "BJ"))
    assert missing.status_code == 404


async def test_lists_show_the_callers_deals_with_filters_and_cursor(market: Market) -> None:
    parties = await new_parties(market, "TJ", "HE")
    opened = [await open_deal(market, parties) for _ in range(3)]
    registered = await registered_deal(market, parties)
    mine = {d["id"] for d in opened} | {registered["id"]}
    headers = parties.broker.headers
    async with market.client("deals") as client:
        seen: list[str] = []
        cursor = None
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/deals", params=params, headers=headers)).json()
            assert len(page["items"]) <= 2
            seen += [d["id"] for d in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        by_status = (await client.get("/deals", params={"status": "registered"},
                                      headers=headers)).json()["items"]
        by_org = (await client.get("/deals", params={"org_id": str(parties.buyer),
                                                     "region": "120000"},
                                   headers=auth("operator", "HE"))).json()["items"]
        enterprise = (await client.get("/deals", headers=auth(
            "enterprise", "HE", org=parties.buyer))).json()["items"]
        other_region = (await client.get("/deals", params={"org_id": str(parties.buyer)},
                                         headers=auth("operator", "BJ"))).json()["items"]
    assert len(seen) == len(set(seen)) == 4 and set(seen) == mine
    assert [d["id"] for d in by_status] == [registered["id"]]
    assert {d["id"] for d in by_org} == mine
    assert {d["id"] for d in enterprise} == mine
    assert other_region == []
