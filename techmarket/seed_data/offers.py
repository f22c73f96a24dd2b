"""Offers of the demonstration market: technology offers from universities and institutes,
service offers from labs. Deterministic for a given seed and ``today``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from services.listings.domain.catalogue import INDUSTRIES, INDUSTRIES_BY_CODE
from techmarket.seed_data.brokers import brokers_by_client
from techmarket.seed_data.ip_items import ip_items_for
from techmarket.seed_data.lab_services import CATEGORY_TERMS, LAB_SERVICES
from techmarket.seed_data.offer_texts import (
    offer_title,
    service_texts,
    technology_description,
    technology_summary,
)
from techmarket.seed_data.results import RESULT_KINDS
from techmarket.seed_data.wording import numbers
from techmarket.seed_data.words import WORDS_BY_INDUSTRY

Record = dict[str, Any]
SERVICE_SHARE = 0.2
NEGOTIABLE_SHARE = 0.25
_INDUSTRY_CODES = tuple(industry.code for industry in INDUSTRIES)


def iter_offers(
    n: int,
    *,
    seed: int,
    today: date,
    owners: Sequence[Mapping[str, Any]],
    brokers: Sequence[Mapping[str, Any]] = (),
) -> Iterator[Record]:
    """``n`` offers owned by ``owners`` (organisation records; other kinds are skipped).

    The first twenty technology offers walk through every industry, so any market of
    that size covers the whole catalogue. ``broker_ref`` is a broker representing the owner,
    or None when ``brokers`` names none.
    """
    rng = random.Random(f"offers/{seed}")
    providers = [o for o in owners if o["kind"] in ("university", "institute")]
    labs = [o for o in owners if o["kind"] == "lab"]
    if not providers and not labs:
        raise ValueError("offers need universities, institutes or labs among the owners")
    representatives = brokers_by_client(brokers)
    technology_count = 0
    for number in range(1, n + 1):
        if labs and (not providers or rng.random() < SERVICE_SHARE):
            offer = _service_offer(rng, labs, today)
        else:
            offer = _technology_offer(rng, providers, today, technology_count)
            technology_count += 1
        offer["ref"] = f"offer-{number:06d}"
        candidates = representatives.get(offer["owner_org_ref"])
        offer["broker_ref"] = rng.choice(candidates) if candidates else None
        yield offer


def _technology_offer(
    rng: random.Random, providers: Sequence[Mapping[str, Any]], today: date, count: int
) -> Record:
    industry = _INDUSTRY_CODES[count] if count < len(_INDUSTRY_CODES) else None
    owner = _pick_owner(rng, providers, industry)
    industry = industry or rng.choice(owner.get("industries") or _INDUSTRY_CODES)
    words = WORDS_BY_INDUSTRY[industry]
    topic = rng.choice(words.topics)
    kind = RESULT_KINDS[topic.result]
    trl = rng.randint(*kind.trl)
    offer: Record = {
        "owner_org_ref": owner["ref"],
        "kind": "technology",
        "title": offer_title(rng, topic),
        "industry": industry,
        "keywords": _keywords(rng, topic.keywords, industry),
        "trl": trl,
        "ip": ip_items_for(topic.result, rng, today.year),
        "modes": rng.sample(kind.modes, rng.randint(1, min(3, len(kind.modes)))),
        "asking_price_fen": _asking_price(rng, kind.price_wan),
        "valid_until": (today + timedelta(days=rng.randint(180, 1095))).isoformat(),
    }
    figures = numbers(rng)
    offer["summary"] = technology_summary(rng, topic, words, owner["name"], trl, figures)
    offer["description"] = technology_description(rng, topic, words, offer, figures)
    return offer


def _keywords(rng: random.Random, base: Sequence[str], industry: str) -> list[str]:
    keywords = list(base)
    name = INDUSTRIES_BY_CODE[industry].name_zh
    if name not in keywords and rng.random() < 0.5:
        keywords.append(name)
    return keywords


def _pick_owner(
    rng: random.Random, candidates: Sequence[Mapping[str, Any]], industry: str | None
) -> Mapping[str, Any]:
    if industry is not None:
        focused = [o for o in candidates if industry in (o.get("industries") or ())]
        if focused:
            return rng.choice(focused)
    return rng.choice(candidates)


def _asking_price(rng: random.Random, price_wan: tuple[int, int]) -> int | None:
    if rng.random() < NEGOTIABLE_SHARE:
        return None
    low, high = price_wan
    return rng.randrange(low, high + 1, 5) * 1_000_000  # whole 万元, in fen


def _service_offer(rng: random.Random, labs: Sequence[Mapping[str, Any]], today: date) -> Record:
    service = rng.choice(LAB_SERVICES)
    lab = _pick_owner(rng, labs, service.industry)
    modes, (low, high), _ = CATEGORY_TERMS[service.category]
    price_fen = rng.randrange(low, high + 1, 100) * 100
    title, summary, description = service_texts(rng, service, lab["name"], price_fen)
    return {
        "owner_org_ref": lab["ref"],
        "kind": "service",
        "title": title,
        "summary": summary,
        "description": description,
        "industry": service.industry,
        "keywords": list(service.keywords),
        "trl": 9,  # an established service is in routine operation
        "ip": [],
        "modes": list(modes),
        "asking_price_fen": price_fen,
        "valid_until": (today + timedelta(days=rng.randint(180, 730))).isoformat(),
    }
