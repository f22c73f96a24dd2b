"""Listings come and go: published, updated, withdrawn. The index follows exactly."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from services.matching.domain import MatchingEngine, NeedDoc, OfferDoc, OfferSearch, relevance
from services.matching.domain import postings as postings_module
from services.matching.domain.listing_index import DEAD_SHARE_BEFORE_COMPACTION
from services.matching.domain.postings import Postings
from tests.support.matching.documents import (
    BATTERY_NEED,
    BATTERY_OFFER,
    NOW,
    UNRELATED_OFFERS,
    offer,
)


def engine_with(*offers: OfferDoc) -> MatchingEngine:
    engine = MatchingEngine()
    for listing in offers:
        engine.put_offer(listing)
    return engine


def found_ids(engine: MatchingEngine, text: str) -> list[str]:
    return [m.id for m in engine.search_offers(OfferSearch(text=text), limit=50)]


def test_a_published_offer_is_found_by_its_words() -> None:
    engine = engine_with(BATTERY_OFFER, *UNRELATED_OFFERS)

    assert found_ids(engine, "锂电池正极")[0] == "offer-battery"
    assert found_ids(engine, "污水处理")[0] == "offer-water"
    assert len(engine.offers) == 4


def test_an_updated_offer_is_found_by_its_new_text_only() -> None:
    engine = engine_with(BATTERY_OFFER, *UNRELATED_OFFERS)

    engine.put_offer(offer(title="氢燃料电池双极板", description="石墨复合双极板模压成型。"))

    assert "offer-battery" in found_ids(engine, "双极板")
    assert "offer-battery" not in found_ids(engine, "共沉淀法高镍三元")
    assert len(engine.offers) == 4


def test_a_removed_offer_never_appears_again() -> None:
    engine = engine_with(BATTERY_OFFER, *UNRELATED_OFFERS)

    assert engine.remove_offer("offer-battery") is True

    assert "offer-battery" not in found_ids(engine, "高镍三元锂离子电池正极材料")
    ranked = engine.offers_for_need(BATTERY_NEED, limit=50, now=NOW)
    assert "offer-battery" not in [m.id for m in ranked]
    assert "offer-battery" not in engine.offers


def test_removing_an_unknown_offer_reports_it() -> None:
    engine = engine_with(BATTERY_OFFER)

    assert engine.remove_offer("never-published") is False
    assert engine.remove_offer("offer-battery") is True
    assert engine.remove_offer("offer-battery") is False


def test_a_removed_need_is_no_longer_matched_to_offers() -> None:
    engine = MatchingEngine()
    engine.put_need(BATTERY_NEED)
    assert [m.id for m in engine.needs_for_offer(BATTERY_OFFER, now=NOW)] == ["need-battery"]

    engine.remove_need("need-battery")

    assert engine.needs_for_offer(BATTERY_OFFER, now=NOW) == []


def test_heavy_churn_compacts_and_keeps_every_survivor_findable() -> None:
    engine = MatchingEngine()
    cities = ["北京", "天津", "石家庄", "保定", "唐山", "廊坊", "沧州", "承德"]
    for i in range(80):
        engine.put_offer(offer(id=f"o{i}", title=f"{cities[i % 8]}第{i}号电池", description=""))
    for i in range(0, 80, 4):
        engine.put_offer(offer(id=f"o{i}", title="钠离子电池", description=""))  # update
    for i in range(1, 80, 2):
        engine.remove_offer(f"o{i}")

    dead_share = 1 - engine.offers.text.live_count / engine.offers.text.slot_count
    assert dead_share <= DEAD_SHARE_BEFORE_COMPACTION  # compaction ran
    assert len(engine.offers) == 40
    assert set(found_ids(engine, "钠离子电池")) >= {f"o{i}" for i in range(0, 80, 4)}
    everything = set(found_ids(engine, "电池"))
    assert everything == {f"o{i}" for i in range(0, 80, 2)}


def test_needs_and_offers_are_separate_indexes() -> None:
    engine = MatchingEngine()
    engine.put_need(BATTERY_NEED)

    assert found_ids(engine, "锂电池正极材料") == []
    assert len(engine.needs) == 1 and len(engine.offers) == 0


def test_membership_by_binary_search_agrees_with_a_plain_scan() -> None:
    rng = np.random.default_rng(3)
    postings = Postings()
    holders: dict[str, set[int]] = {"a": set(), "b": set(), "c": set()}
    for slot in range(500):
        counts = {t: int(rng.integers(1, 300)) for t in holders if rng.random() < 0.3}
        postings.add(slot, counts)
        for term in counts:
            holders[term].add(slot)

    probe = rng.permutation(500)[:120].astype(np.intp)
    hits = postings.contained(["a", "b", "c", "zzz"], probe)

    for column, term in enumerate(["a", "b", "c"]):
        assert hits[:, column].tolist() == [int(s) in holders[term] for s in probe]
    assert not hits[:, 3].any()


@pytest.mark.parametrize("chunk", [5, 1 << 20])
def test_compaction_drops_dead_slots_and_renumbers_the_rest(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postings_module, "_COMPACTION_CHUNK_POSTINGS", chunk)
    rng = np.random.default_rng(5)
    postings = Postings()
    held: dict[str, list[tuple[int, int]]] = {f"t{n}": [] for n in range(40)}
    for slot in range(200):
        for term in rng.choice(list(held), size=6, replace=False):
            tf = int(rng.integers(1, 9))
            postings.add(slot, {str(term): tf})
            held[str(term)].append((slot, tf))
    alive = rng.random(200) < 0.5
    alive[[p[0] for p in held["t0"]]] = False  # one term loses every listing
    new_slot = np.cumsum(alive, dtype=np.int64) - 1

    postings.compact(new_slot, alive)

    for term, entries in held.items():
        expected = [(int(new_slot[s]), tf) for s, tf in entries if alive[s]]
        found = postings.scan(term)
        if not expected:
            assert found is None and postings.count(term) == 0
            continue
        assert found is not None
        slots, tfs = found[0].tolist(), found[1].astype(int).tolist()
        assert list(zip(slots, tfs, strict=True)) == expected


def test_term_frequency_is_capped_not_wrapped() -> None:
    postings = Postings()
    postings.add(0, {"电池": 1000})

    found = postings.scan("电池")

    assert found is not None
    assert found[0].tolist() == [0] and found[1].tolist() == [255.0]


def test_an_unindexed_need_can_still_be_matched() -> None:
    engine = engine_with(BATTERY_OFFER)
    draft = NeedDoc(id="draft", title="锂电池正极材料", description="", region="BJ")

    assert [m.id for m in engine.offers_for_need(draft, now=NOW)] == ["offer-battery"]
    assert len(engine.needs) == 0


def test_a_need_asked_again_after_the_index_changed_is_weighted_afresh() -> None:
    """A need's term weights are kept between calls while the index is unchanged; every
    write (publish, withdraw, compaction) must make the next call see current statistics,
    exactly as an engine that never answered before."""
    another = replace(BATTERY_OFFER, id="offer-battery-2", title="锂电池正极材料回收技术")

    def changed(engine: MatchingEngine) -> None:
        engine.put_offer(another)
        engine.remove_offer(UNRELATED_OFFERS[0].id)

    engine = engine_with(BATTERY_OFFER, *UNRELATED_OFFERS[:2])
    before = engine.offers_for_need(BATTERY_NEED, now=NOW)
    assert engine.offers_for_need(BATTERY_NEED, now=NOW) == before
    changed(engine)
    after = engine.offers_for_need(BATTERY_NEED, now=NOW)

    never_asked = engine_with(BATTERY_OFFER, *UNRELATED_OFFERS[:2])
    changed(never_asked)
    relevance._bag.cache_clear()  # the need's text is known process-wide: forget it
    assert after != before
    assert after == never_asked.offers_for_need(BATTERY_NEED, now=NOW)
