"""Ranking rules through the API: region, TRL, price, modes, industry, freshness,
the explanation and min_score."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.market import Market
from tests.support.matching.feed import (
    code_word,
    ids,
    matches,
    need_event,
    offer_event,
    own,
    pick_topic,
    produce,
    published,
    search,
)


@pytest.mark.parametrize("cross_region_ok", [False, True])
async def test_a_need_closed_to_other_regions_sees_only_its_own(market: Market,
                                                                cross_region_ok: bool) -> None:
    code, topic = code_word(), pick_topic()
    local, remote = offer_event(code, topic, region="TJ"), offer_event(code, topic, region="BJ")
    await published(market, code, local, remote)
    need = need_event(code, topic, region="TJ", cross_region_ok=cross_region_ok)
    await produce(market, need)
    found = own(await matches(market, "need", need.need_id, min_score=0), code)
    expected = {local.offer_id, remote.offer_id} if cross_region_ok else {local.offer_id}
    assert set(found) == expected
    if cross_region_ok:  # the same region earns a small bonus, never more
        local_region = found[local.offer_id]["explanation"]["factors"]["region"]
        assert 0 < local_region <= 0.05
        assert found[remote.offer_id]["explanation"]["factors"]["region"] == 0


async def test_offers_below_the_needs_minimum_trl_are_left_out(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    offers = {trl: offer_event(code, topic, trl=trl) for trl in (4, 6, 9)}
    await published(market, code, *offers.values())
    need = need_event(code, topic, min_trl=6)
    await produce(market, need)
    found = own(await matches(market, "need", need.need_id, min_score=0), code)
    assert set(found) == {offers[6].offer_id, offers[9].offer_id}
    filtered = await search(market, {"text": code, "min_trl": 7}, min_score=0)
    assert ids(filtered) == [offers[9].offer_id]


async def test_price_within_budget_wins_negotiable_is_neutral_over_budget_loses(
        market: Market) -> None:
    code, topic = code_word(), pick_topic()
    within = offer_event(code, topic, asking_price_fen=150_000_000)
    negotiable = offer_event(code, topic, asking_price_fen=None)
    over = offer_event(code, topic, asking_price_fen=290_000_000)
    await published(market, code, within, negotiable, over)
    need = need_event(code, topic, budget_min_fen=100_000_000, budget_max_fen=200_000_000)
    await produce(market, need)
    found = own(await matches(market, "need", need.need_id, min_score=0), code)
    score = {offer_id: item["score"] for offer_id, item in found.items()}
    assert score[within.offer_id] > score[negotiable.offer_id] > score[over.offer_id]
    assert found[negotiable.offer_id]["explanation"]["factors"]["price"] == 0
    capped = await search(market, {"text": code, "max_price_fen": 200_000_000}, min_score=0)
    assert set(ids(capped)) == {within.offer_id, negotiable.offer_id}


async def test_shared_modes_industry_and_freshness_add_to_the_score(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    fitting = offer_event(code, topic, modes=["license"], industry="new_materials")
    other_modes = offer_event(code, topic, modes=["equity"], industry="new_materials")
    other_industry = offer_event(code, topic, modes=["license"], industry="textiles")
    stale = offer_event(code, topic, modes=["license"], industry="new_materials",
                        published_at=datetime.now(UTC) - timedelta(days=720))
    await published(market, code, fitting, other_modes, other_industry, stale)
    need = need_event(code, topic, modes=["license"], industry="new_materials")
    await produce(market, need)
    found = own(await matches(market, "need", need.need_id, min_score=0), code)
    factors = {offer_id: item["explanation"]["factors"] for offer_id, item in found.items()}
    assert factors[fitting.offer_id]["mode"] > 0 == factors[other_modes.offer_id]["mode"]
    assert factors[fitting.offer_id]["industry"] > 0 == factors[other_industry.offer_id]["industry"]
    assert factors[fitting.offer_id]["freshness"] > factors[stale.offer_id]["freshness"]
    assert ids({"items": list(found.values())})[0] == fitting.offer_id


async def test_every_match_is_explained(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    offer = offer_event(code, topic)
    await published(market, code, offer)
    need = need_event(code, topic)
    await produce(market, need)
    item = own(await matches(market, "need", need.need_id, min_score=0), code)[offer.offer_id]
    explanation = item["explanation"]
    terms = explanation["matched_terms"]
    assert code in terms and len(terms) > 1
    offer_text = " ".join((offer.title, offer.description, *offer.keywords)).lower()
    need_text = " ".join((need.title, need.description, *need.keywords)).lower()
    assert all(term in offer_text and term in need_text for term in terms), terms
    factors = explanation["factors"]
    assert set(factors) >= {"text", "industry", "trl", "price", "mode", "region"}
    assert 0 < item["score"] <= 1
    assert sum(factors.values()) == pytest.approx(item["score"], abs=0.002)
    searched = (await search(market, {"text": f"{topic.keywords[0]} {code}"}))["items"][0]
    assert searched["offer_id"] == offer.offer_id
    assert searched["explanation"]["matched_terms"][:1] == [code]  # the rarest term first


async def test_min_score_and_an_honest_empty_answer(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    offer = offer_event(code, topic)
    await published(market, code, offer)
    need = need_event(code, topic)
    await produce(market, need)
    everything = await matches(market, "need", need.need_id, min_score=0, limit=200)
    best = everything["items"][0]["score"]
    above = await matches(market, "need", need.need_id, min_score=best)
    assert above["items"] and all(item["score"] >= best for item in above["items"])
    assert (await matches(market, "need", need.need_id, min_score=1))["items"] == []
    nothing_like_it = need_event(
        code_word(), topic, title="敦煌石窟壁画颜料起甲脱落修复",
        description="征集壁画起甲病害的回贴加固材料。", keywords=["壁画修复"])
    await produce(market, nothing_like_it)
    assert (await matches(market, "need", nothing_like_it.need_id))["items"] == []
    assert (await search(market, {"text": "的"}))["items"] == []  # nothing left to look for
