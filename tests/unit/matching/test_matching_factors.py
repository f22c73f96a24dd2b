"""Structured factors: TRL, region, price, industry, modes, freshness, in both directions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.matching.domain import Match, MatchingEngine, NeedDoc, OfferDoc
from services.matching.domain.factors import price_fit
from services.matching.domain.scoring import WEIGHTS
from tests.support.matching.documents import BATTERY_OFFER, NOW, UNRELATED_OFFERS, YUAN, need, offer


def ranked(need_doc: NeedDoc, *offers: OfferDoc) -> dict[str, Match]:
    engine = MatchingEngine()
    for listing in offers:
        engine.put_offer(listing)
    return {m.id: m for m in engine.offers_for_need(need_doc, limit=50, now=NOW)}


def ranked_needs(offer_doc: OfferDoc, *needs: NeedDoc) -> dict[str, Match]:
    engine = MatchingEngine()
    for listing in needs:
        engine.put_need(listing)
    return {m.id: m for m in engine.needs_for_offer(offer_doc, limit=50, now=NOW)}


def test_offers_below_the_needs_minimum_trl_are_excluded() -> None:
    found = ranked(
        need(min_trl=5),
        offer(id="trl4", trl=4),
        offer(id="trl5", trl=5),
        offer(id="trl9", trl=9),
        offer(id="no-trl", trl=None),
    )

    assert set(found) == {"trl5", "trl9"}
    assert found["trl5"].explanation.factors["trl"] > 0


def test_without_a_minimum_trl_every_maturity_is_matched_and_trl_is_silent() -> None:
    found = ranked(need(min_trl=None), offer(id="trl2", trl=2), offer(id="trl8", trl=8))

    assert set(found) == {"trl2", "trl8"}
    assert found["trl2"].score == found["trl8"].score
    assert found["trl2"].explanation.factors["trl"] == 0.0


def test_needs_whose_minimum_trl_the_offer_misses_are_excluded() -> None:
    found = ranked_needs(offer(trl=6), need(id="wants7", min_trl=7), need(id="wants5", min_trl=5))

    assert set(found) == {"wants5"}


def test_need_closed_to_other_regions_only_gets_offers_of_its_region() -> None:
    closed = need(region="TJ", cross_region_ok=False)
    found = ranked(closed, *(offer(id=r, region=r) for r in ("BJ", "TJ", "HE")))

    assert set(found) == {"TJ"}


def test_offer_is_not_shown_needs_closed_to_its_region() -> None:
    found = ranked_needs(
        offer(region="BJ"),
        need(id="tj-closed", region="TJ", cross_region_ok=False),
        need(id="tj-open", region="TJ", cross_region_ok=True),
        need(id="bj-closed", region="BJ", cross_region_ok=False),
    )

    assert set(found) == {"tj-open", "bj-closed"}


def test_same_region_earns_only_a_small_bonus() -> None:
    found = ranked(need(region="TJ"), offer(id="same", region="TJ"), offer(id="other", region="BJ"))

    bonus = found["same"].score - found["other"].score
    assert 0 < bonus <= 0.05
    assert 0 < found["same"].explanation.factors["region"] <= 0.05
    assert found["other"].explanation.factors["region"] == 0.0


def test_negotiable_price_neither_wins_nor_loses() -> None:
    found = ranked(
        need(budget_min_fen=1_000_000 * YUAN, budget_max_fen=3_000_000 * YUAN),
        offer(id="within", asking_price_fen=2_000_000 * YUAN),
        offer(id="negotiable", asking_price_fen=None),
        offer(id="far-over", asking_price_fen=9_000_000 * YUAN),
    )

    assert found["within"].score > found["negotiable"].score > found["far-over"].score
    assert found["negotiable"].explanation.factors["price"] == 0.0
    assert found["within"].explanation.factors["price"] > 0


def test_price_fit_to_a_budget() -> None:
    low, high = 100 * YUAN, 200 * YUAN

    assert price_fit(150 * YUAN, low, high) == pytest.approx(1.0)
    assert price_fit(200 * YUAN, low, high) == pytest.approx(1.0)
    assert price_fit(220 * YUAN, low, high) == pytest.approx(0.8)  # 10 % over: room to talk
    assert price_fit(300 * YUAN, low, high) == pytest.approx(0.0)
    assert price_fit(50 * YUAN, low, high) == pytest.approx(0.75)  # cheaper than planned
    assert price_fit(10**12, -1, -1) == pytest.approx(1.0)  # no bounds at all


def test_without_a_budget_price_does_not_matter() -> None:
    found = ranked(
        need(budget_min_fen=None, budget_max_fen=None),
        offer(id="cheap", asking_price_fen=1 * YUAN),
        offer(id="dear", asking_price_fen=90_000_000 * YUAN),
    )

    assert found["cheap"].score == found["dear"].score
    assert found["dear"].explanation.factors["price"] == 0.0


def test_buyers_whose_budget_fits_the_asking_price_rank_first() -> None:
    found = ranked_needs(
        offer(asking_price_fen=2_000_000 * YUAN),
        need(id="rich", budget_max_fen=5_000_000 * YUAN),
        need(id="poor", budget_min_fen=None, budget_max_fen=500_000 * YUAN),
    )

    assert found["rich"].score > found["poor"].score
    assert found["poor"].explanation.factors["price"] == 0.0


def test_same_industry_ranks_above_another_industry() -> None:
    found = ranked(need(), offer(id="same"), offer(id="other", industry="steel"))

    assert found["same"].score > found["other"].score
    assert found["same"].explanation.factors["industry"] > 0
    assert found["other"].explanation.factors["industry"] == 0.0


def test_an_overlapping_transaction_mode_ranks_above_none() -> None:
    wants_transfer = need(modes=frozenset({"transfer"}))
    found = ranked(
        wants_transfer,
        offer(id="overlap", modes=frozenset({"transfer", "equity"})),
        offer(id="disjoint", modes=frozenset({"license"})),
    )

    assert found["overlap"].score > found["disjoint"].score
    assert found["disjoint"].explanation.factors["mode"] == 0.0


def test_recent_offers_are_slightly_preferred() -> None:
    found = ranked(
        need(),
        offer(id="new", published_at=NOW - timedelta(days=1)),
        offer(id="old", published_at=NOW - timedelta(days=700)),
    )

    assert 0 < found["new"].score - found["old"].score <= 0.06


def test_paperwork_alone_does_not_make_a_match() -> None:
    twin_on_paper = offer(id="paper", title="景区客流预测平台", description="游客导览", keywords=())

    assert ranked(need(), twin_on_paper, BATTERY_OFFER).keys() == {"offer-battery"}


def test_paperwork_with_a_few_generic_words_stays_far_below_a_real_match() -> None:
    # Same industry, region, TRL, price and modes as the real match; only 提高, 技术 in common.
    generic = offer(
        id="generic", title="景区客流预测技术", description="提高游客满意度", keywords=()
    )

    found = ranked(need(), generic, BATTERY_OFFER, *UNRELATED_OFFERS)

    assert found["generic"].score < found["offer-battery"].score / 2
    assert found["generic"].explanation.factors["industry"] < 0.5 * WEIGHTS["industry"]
