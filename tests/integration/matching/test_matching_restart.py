"""At start the index is rebuilt from the service's own database, not from Kafka; events
published while the service was down are consumed once it is back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support.market import Market, eventually
from tests.support.matching.feed import (
    TOPICS,
    code_word,
    matches,
    need_event,
    offer_event,
    own,
    pick_topic,
    produce,
    published,
    search,
    searchable,
    withdrawn,
)


async def _answers(market: Market, code: str, need_id: str, offer_id: str,
                   query: str) -> dict[str, list[dict[str, Any]]]:
    """This test's items of three answers, in rank order."""
    return {
        "need": list(own(await matches(market, "need", need_id, min_score=0), code).values()),
        "offer": list(own(await matches(market, "offer", offer_id, min_score=0), code,
                          "need").values()),
        "search": list(own(await search(market, {"text": query}), code).values()),
    }


async def _ready(market: Market) -> bool:
    try:
        async with market.client("matching") as client:
            return (await client.get("/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def test_a_restarted_service_answers_as_before(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    offers = [offer_event(code, topic, trl=trl, region=region)
              for trl, region in ((5, "BJ"), (7, "TJ"), (9, "HE"))]
    others = [t for t in TOPICS if t is not topic]
    background_code = code_word()  # other topics, so term statistics are not all ours
    await published(market, background_code, *[offer_event(background_code, t) for t in others])
    gone_code = code_word()
    gone = offer_event(gone_code, others[0])
    await published(market, code, *offers)
    await published(market, gone_code, gone)
    await produce(market, withdrawn(gone))
    await searchable(market, gone_code, set())
    need = need_event(code, topic, min_trl=6)
    await produce(market, need)
    await searchable(market, code, {o.offer_id for o in offers})
    await searchable(market, gone_code, set())  # the rebuild brings back no withdrawn offer
    query = f"{topic.keywords[0]} {code}"
    before = await _answers(market, code, need.need_id, offers[1].offer_id, query)
    assert [len(items) for items in before.values()] == [2, 1, 3]
    late_code = code_word()
    late = offer_event(late_code, others[1])
    service = market.stack.services["matching"]
    service.stop()
    try:
        await produce(market, late)  # while matching is down
    finally:
        service.start()
    await eventually(lambda: _ready(market), timeout=90)
    after = await _answers(market, code, need.need_id, offers[1].offer_id, query)
    for name in before:
        assert [_same(item) for item in after[name]] == [_same(i) for i in before[name]], name
        # Scores may move in the 3rd decimal: until its next compaction the live index
        # still counts listings removed since the last one in its term statistics.
        assert [i["score"] for i in after[name]] == pytest.approx(
            [i["score"] for i in before[name]], abs=0.02)
    await searchable(market, late_code, {late.offer_id})
    await searchable(market, code, {o.offer_id for o in offers})
    await searchable(market, gone_code, set())  # the rebuild brings back no withdrawn offer


def _same(item: dict[str, Any]) -> tuple[Any, ...]:
    """What must not change at all: the listing, its card and which terms matched (their
    order follows term weights, which move slightly until the live index compacts)."""
    listing = item.get("offer") or item.get("need")
    return (item.get("offer_id") or item.get("need_id"), tuple(sorted(listing.items())),
            tuple(sorted(item["explanation"]["matched_terms"])))
