"""Scores in [0, 1], thresholds, limits, explanations, and honest empty answers."""

from __future__ import annotations

import itertools
import math
from datetime import timedelta

import pytest

from services.matching.domain import FACTORS, MatchingEngine, NeedDoc, OfferSearch, ranking
from tests.support.matching.documents import (
    BATTERY_NEED,
    BATTERY_OFFER,
    NOW,
    UNRELATED_OFFERS,
    YUAN,
    need,
    offer,
)


@pytest.fixture
def engine() -> MatchingEngine:
    engine = MatchingEngine()
    for listing in (BATTERY_OFFER, *UNRELATED_OFFERS):
        engine.put_offer(listing)
    engine.put_need(BATTERY_NEED)
    return engine


def test_scores_stay_within_zero_and_one_whatever_the_attributes() -> None:
    engine = MatchingEngine()
    prices = (None, 1 * YUAN, 2_000_000 * YUAN, 10**13)
    combos = itertools.product(("BJ", "TJ"), (1, 5, 9), prices, ("steel", None))
    for i, (region, trl, price, industry) in enumerate(combos):
        engine.put_offer(
            offer(id=f"o{i}", region=region, trl=trl, asking_price_fen=price, industry=industry)
        )
    engine.put_offer(offer(id="echo", title=BATTERY_NEED.title * 5, description="锂电池" * 50))

    for wanted in (need(), need(min_trl=None, budget_max_fen=None, modes=frozenset())):
        matches = engine.offers_for_need(wanted, limit=100, now=NOW)
        assert matches
        assert all(0.0 <= m.score <= 1.0 for m in matches)
    searched = engine.search_offers(OfferSearch(text="锂电池"), limit=100)
    assert all(0.0 <= m.score <= 1.0 for m in searched)


def test_results_are_best_first_and_limited(engine: MatchingEngine) -> None:
    for i in range(30):
        batch = f"第{i}批次。{BATTERY_OFFER.description}"
        engine.put_offer(offer(id=f"copy{i}", description=batch))

    matches = engine.offers_for_need(BATTERY_NEED, limit=7, now=NOW)

    assert len(matches) == 7
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)


def test_min_score_keeps_only_matches_at_or_above_it(engine: MatchingEngine) -> None:
    everything = engine.offers_for_need(BATTERY_NEED, limit=50, now=NOW)
    cut = everything[0].score - 0.001

    kept = engine.offers_for_need(BATTERY_NEED, limit=50, min_score=cut, now=NOW)

    assert len(everything) > 1
    assert [m.id for m in kept] == ["offer-battery"]
    assert engine.offers_for_need(BATTERY_NEED, min_score=0.999, now=NOW) == []


def test_a_need_without_common_words_gets_an_honest_empty_answer(engine: MatchingEngine) -> None:
    alien = need(title="骆驼", description="沙漠骆驼", keywords=())

    assert engine.offers_for_need(alien, now=NOW) == []
    assert engine.search_offers(OfferSearch(text="骆驼")) == []
    assert engine.search_offers(OfferSearch(text="，。 ！")) == []


def test_an_empty_engine_answers_nothing() -> None:
    empty = MatchingEngine()

    assert empty.offers_for_need(BATTERY_NEED, now=NOW) == []
    assert empty.needs_for_offer(BATTERY_OFFER, now=NOW) == []
    assert empty.search_offers(OfferSearch(text="锂电池")) == []


def test_explanation_lists_the_query_words_the_offer_contains(engine: MatchingEngine) -> None:
    best = engine.search_offers(OfferSearch(text="锂电池正极材料的能量密度"))[0]

    assert best.id == "offer-battery"
    terms = best.explanation.matched_terms
    assert {"正极", "材料", "能量", "密度"} <= set(terms)
    # 锂电池 is not in the offer (it says 锂离子电池): its fragment 电池 is shown instead.
    assert "电池" in terms and "锂电池" not in terms
    assert "料的" not in terms and "的能" not in terms  # bigrams across words are noise
    assert all(len(term) > 1 for term in terms)


def test_explanation_has_every_factor_and_they_add_up_to_the_score(
    engine: MatchingEngine,
) -> None:
    for match in engine.offers_for_need(BATTERY_NEED, limit=10, now=NOW):
        factors = match.explanation.factors
        assert tuple(factors) == FACTORS
        assert all(value >= 0.0 for value in factors.values())
        assert math.isclose(sum(factors.values()), match.score, abs_tol=1e-3)


def test_a_full_match_is_explained_by_every_factor(engine: MatchingEngine) -> None:
    best = engine.offers_for_need(BATTERY_NEED, now=NOW)[0]

    factors = best.explanation.factors
    assert best.id == "offer-battery"
    assert all(factors[name] > 0 for name in ("text", "industry", "trl", "price", "mode"))
    assert factors["region"] == 0.0  # BJ offer, TJ need


def test_search_scores_text_only(engine: MatchingEngine) -> None:
    match = engine.search_offers(OfferSearch(text="锂电池正极材料"))[0]

    factors = match.explanation.factors
    assert factors["text"] == pytest.approx(match.score, abs=1e-4)
    assert all(value == 0.0 for name, value in factors.items() if name != "text")


def test_text_relevance_is_comparable_across_queries(engine: MatchingEngine) -> None:
    own_words = engine.search_offers(OfferSearch(text=BATTERY_OFFER.description))[0]
    one_shared_word = engine.search_offers(OfferSearch(text="正极 骆驼 沙漠 长城 烤鸭"))[0]

    assert own_words.id == one_shared_word.id == "offer-battery"
    assert own_words.score > 0.8
    assert one_shared_word.score < 0.5


def test_search_criteria_filter_offers(engine: MatchingEngine) -> None:
    engine.put_offer(offer(id="cheap-tj", region="TJ", trl=4, asking_price_fen=10 * YUAN))
    engine.put_offer(offer(id="negotiable", asking_price_fen=None, industry="new_materials"))

    def ids(**criteria: object) -> set[str]:
        search = OfferSearch(text="锂离子电池正极材料", **criteria)  # type: ignore[arg-type]
        return {m.id for m in engine.search_offers(search)}

    assert ids() == {"offer-battery", "cheap-tj", "negotiable"}
    assert ids(region="TJ") == {"cheap-tj"}
    assert ids(min_trl=5) == {"offer-battery", "negotiable"}
    assert ids(max_price_fen=100 * YUAN) == {"cheap-tj", "negotiable"}
    assert ids(industry="new_materials") == {"negotiable"}
    assert ids(industry="never_seen") == set()


def test_offers_find_their_needs_symmetrically(engine: MatchingEngine) -> None:
    water = need(id="need-water", title="污水处理提标改造", description="氨氮超标", keywords=())
    engine.put_need(water)

    matches = engine.needs_for_offer(BATTERY_OFFER, now=NOW)

    assert [m.id for m in matches][:1] == ["need-battery"]
    assert "need-water" not in {m.id for m in matches}
    assert tuple(matches[0].explanation.factors) == FACTORS


def test_very_common_terms_are_skipped_only_while_rarer_ones_can_match() -> None:
    engine = MatchingEngine()
    for i in range(1200):  # large enough for "too common" to be judged
        topic = "钠离子电池" if i == 7 else f"第{i}号样品"
        engine.put_offer(offer(id=f"o{i}", title="研究报告", description=topic, keywords=()))

    assert engine.search_offers(OfferSearch(text="研究 钠离子"))[0].id == "o7"
    assert len(engine.search_offers(OfferSearch(text="研究报告"), limit=5)) == 5


def test_pruned_ranking_equals_scoring_every_candidate(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = MatchingEngine()
    regions, industries = ("BJ", "TJ", "HE"), ("new_energy_vehicles", "steel", None)
    for i in range(300):
        engine.put_offer(
            offer(
                id=f"o{i}",
                description=f"{'正极材料' * (i % 5)}{'锂电池' * (i % 3)}样品{i}",
                region=regions[i % 3],
                industry=industries[i % 7 % 3],
                trl=1 + i % 9,
                asking_price_fen=None if i % 4 == 0 else (i % 11) * 500_000 * YUAN,
                published_at=NOW - timedelta(days=i),
            )
        )

    def top(wanted: NeedDoc) -> list[tuple[str, float]]:
        return [(m.id, m.score) for m in engine.offers_for_need(wanted, limit=10, now=NOW)]

    wanted = need(title="锂电池正极材料", description="提高能量密度", keywords=(), min_trl=3)
    monkeypatch.setattr(ranking, "FIRST_BATCH_PER_RESULT", 1)
    monkeypatch.setattr(ranking, "FIRST_BATCH_MIN", 1)  # exact scores for the best 10 only
    pruned = top(wanted)
    monkeypatch.setattr(ranking, "FIRST_BATCH_MIN", 10_000)  # exact scores for everyone
    assert pruned == top(wanted) and len(pruned) == 10
