"""GET /offers and GET /needs: filters, cursor pagination newest first, and `q`, a text
filter that works on Chinese through a GIN-indexed term vector."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from services.listings.domain.text_search import parse_query, to_tsquery
from tests.support.listings import broker_desk, created, need_body, offer_body, published
from tests.support.market import Market, auth

CATHODE = {"title": "锂离子电池正极材料", "summary": "高镍三元 NCM811 正极材料的共沉淀制备。",
           "description": "面向动力电池企业的中试放大技术。", "keywords": ["正极", "动力电池"]}
WATER = {"title": "印染废水膜生物反应器处理技术", "summary": "MBR 与臭氧催化氧化组合工艺。",
         "description": "适用于纺织园区污水处理厂提标改造。", "industry": "water_protection",
         "keywords": ["污水处理", "膜分离"]}


@pytest.fixture(scope="module")
async def shelf(market: Market) -> dict[str, Any]:
    """One owner with a cathode offer (published) and a water-treatment offer (draft)."""
    desk = await broker_desk(market, "TJ")
    cathode = await published(market, "/offers", offer_body(desk.client_id, **CATHODE),
                              desk.headers)
    water = await created(market, "/offers", offer_body(desk.client_id, **WATER), desk.headers)
    return {"desk": desk, "owner": desk.client_id, "cathode": cathode["id"],
            "water": water["id"]}


async def found(market: Market, path: str = "/offers", **params: str) -> list[str]:
    async with market.client("listings") as client:
        response = await client.get(path, params=params, headers=auth("enterprise"))
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


@pytest.mark.parametrize("q", [
    "锂电池",  # 锂 + 电池: the dictionary's parts of the word
    "离子电池",  # substring of the title
    "电池材料",  # words of the title, not adjacent
    "正极",  # a word (title, keywords, summary)
    "共沉淀",  # in the summary
    "中试放大",  # in the description
    "ncm",  # a Latin word, by its start, any case
    "NCM811 正极",
])
async def test_q_finds_the_cathode_offer(market: Market, shelf: dict[str, Any], q: str) -> None:
    assert await found(market, q=q, owner_org_id=shelf["owner"]) == [shelf["cathode"]]


@pytest.mark.parametrize("q", ["污水处理", "mbr", "膜生物反应器", "印染废水"])
async def test_q_finds_the_water_offer_only(market: Market, shelf: dict[str, Any],
                                            q: str) -> None:
    assert await found(market, q=q, owner_org_id=shelf["owner"]) == [shelf["water"]]


async def test_q_that_matches_nothing(market: Market, shelf: dict[str, Any]) -> None:
    assert await found(market, q="石墨烯", owner_org_id=shelf["owner"]) == []


async def test_filters_combine_with_q(market: Market, shelf: dict[str, Any]) -> None:
    owner = shelf["owner"]
    assert await found(market, status="published", owner_org_id=owner) == [shelf["cathode"]]
    assert await found(market, status="draft", owner_org_id=owner) == [shelf["water"]]
    assert await found(market, industry="water_protection", owner_org_id=owner) == [
        shelf["water"]]
    assert await found(market, region="TJ", q="正极", owner_org_id=owner) == [shelf["cathode"]]
    assert await found(market, region="120000", owner_org_id=owner) == [
        shelf["water"], shelf["cathode"]]  # newest first
    assert await found(market, region="HE", owner_org_id=owner) == []


async def test_q_reflects_a_change_of_the_text(market: Market, shelf: dict[str, Any]) -> None:
    desk = shelf["desk"]
    offer = await created(market, "/offers", offer_body(desk.clients[1], title="钠离子电池负极"),
                          desk.headers)
    async with market.client("listings") as client:
        await client.patch(f"/offers/{offer['id']}", json={"title": "固态电解质薄膜"},
                           headers={**desk.headers, "If-Match": '"1"'})
    assert await found(market, q="钠离子", owner_org_id=desk.clients[1]) == []
    assert await found(market, q="电解质", owner_org_id=desk.clients[1]) == [offer["id"]]


async def test_cursor_walks_every_page_newest_first(market: Market) -> None:
    desk = await broker_desk(market, "HE")
    ids = [(await created(market, "/offers", offer_body(desk.client_id, title=f"第{n}号成果"),
                          desk.headers))["id"] for n in range(5)]
    seen, cursor = [], None
    async with market.client("listings") as client:
        while True:
            params = {"owner_org_id": desk.client_id, "limit": "2",
                      **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/offers", params=params, headers=desk.headers)).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert seen == list(reversed(ids))


async def test_needs_are_searched_too(market: Market) -> None:
    desk = await broker_desk(market, "BJ", kinds=("enterprise",))
    need = await published(market, "/needs", need_body(desk.client_id), desk.headers)
    assert await found(market, "/needs", q="废水", buyer_org_id=desk.client_id) == [need["id"]]
    assert await found(market, "/needs", q="膜处理", status="published",
                       buyer_org_id=desk.client_id) == [need["id"]]
    assert await found(market, "/needs", q="电池", buyer_org_id=desk.client_id) == []


async def test_q_is_answered_from_the_gin_index(market: Market) -> None:
    expression = parse_query("锂电池")
    assert expression is not None
    conn = await market.db("listings")
    try:
        await conn.execute("SET enable_seqscan = off")
        plan = await conn.fetchval(
            "EXPLAIN (FORMAT JSON) SELECT count(*) FROM offers WHERE search_terms @@ $1::tsquery",
            to_tsquery(expression))
    finally:
        await conn.close()
    assert "ix_offers_search" in orjson.dumps(orjson.loads(plan)).decode()


@pytest.mark.parametrize("params, field", [
    ({"q": "，。！"}, "q"), ({"q": "长" * 101}, "q"), ({"region": "SH"}, "region"),
    ({"status": "sold"}, "status"), ({"industry": "tobacco"}, "industry"),
    ({"owner_org_id": "not-a-uuid"}, "owner_org_id"), ({"cursor": "!!"}, "cursor"),
    ({"limit": "1000"}, "limit"),
])
async def test_bad_query_parameters_are_422(market: Market, params: dict[str, str],
                                            field: str) -> None:
    async with market.client("listings") as client:
        response = await client.get("/offers", params=params, headers=auth("enterprise"))
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


async def test_sql_in_q_is_only_text(market: Market, shelf: dict[str, Any]) -> None:
    q = "正极'; DROP TABLE offers; -- & | !"
    assert await found(market, q=q, owner_org_id=shelf["owner"]) == []
    assert await market.fetchval("listings", "SELECT count(*) FROM offers") > 0
