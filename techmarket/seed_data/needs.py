"""Technology needs of the demonstration market, posted for enterprises by their brokers."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from services.listings.domain.catalogue import INDUSTRIES
from techmarket.seed_data.brokers import brokers_by_client
from techmarket.seed_data.need_texts import need_description, need_title
from techmarket.seed_data.results import RESULT_KINDS
from techmarket.seed_data.words import WORDS_BY_INDUSTRY

Record = dict[str, Any]
CROSS_REGION_SHARE = 0.85
_INDUSTRY_CODES = tuple(industry.code for industry in INDUSTRIES)


def iter_needs(
    n: int,
    *,
    seed: int,
    today: date,
    buyers: Sequence[Mapping[str, Any]],
    brokers: Sequence[Mapping[str, Any]] = (),
) -> Iterator[Record]:
    """``n`` needs of the enterprises among ``buyers``; the first twenty cover every industry."""
    rng = random.Random(f"needs/{seed}")
    enterprises = [b for b in buyers if b["kind"] == "enterprise"]
    if not enterprises:
        raise ValueError("needs need enterprises among the buyers")
    representatives = brokers_by_client(brokers)
    for number in range(1, n + 1):
        need = _need(rng, enterprises, today, number - 1)
        need["ref"] = f"need-{number:06d}"
        candidates = representatives.get(need["buyer_org_ref"])
        need["broker_ref"] = rng.choice(candidates) if candidates else None
        yield need


def _need(
    rng: random.Random, enterprises: Sequence[Mapping[str, Any]], today: date, index: int
) -> Record:
    if index < len(_INDUSTRY_CODES):
        industry = _INDUSTRY_CODES[index]
        matching = [e for e in enterprises if industry in (e.get("industries") or ())]
        buyer = rng.choice(matching or enterprises)
    else:
        buyer = rng.choice(enterprises)
        industry = rng.choice(buyer.get("industries") or _INDUSTRY_CODES)
    words = WORDS_BY_INDUSTRY[industry]
    topic = rng.choice(words.topics)
    kind = RESULT_KINDS[topic.result]
    budget_min, budget_max = _budget(rng, kind.price_wan)
    need: Record = {
        "buyer_org_ref": buyer["ref"],
        "title": need_title(rng, topic),
        "industry": industry,
        "keywords": list(topic.keywords),
        "min_trl": rng.randint(kind.trl[0], min(kind.trl[1], 7)),
        "budget_min_fen": budget_min,
        "budget_max_fen": budget_max,
        "cross_region_ok": rng.random() < CROSS_REGION_SHARE,
        "modes": rng.sample(kind.modes, rng.randint(1, 2)),
        "deadline": (today + timedelta(days=rng.randint(60, 540))).isoformat(),
    }
    need["description"] = need_description(rng, topic, words, buyer, need)
    return need


def _budget(rng: random.Random, price_wan: tuple[int, int]) -> tuple[int, int]:
    """A budget in fen, in whole 万元, around the asking prices of such results."""
    low, high = price_wan
    budget_min = rng.randrange(max(5, low // 2), high + 1, 5)
    budget_max = budget_min + rng.randrange(5, max(10, budget_min) + 1, 5)
    return budget_min * 1_000_000, budget_max * 1_000_000
