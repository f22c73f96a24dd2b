"""How offers and needs become index rows: field term counts and numeric columns.

Industries, regions and transaction modes are open sets (adding a region is data, not
code), so they are numbered on first sight by a shared vocabulary; 0 means "not given".
Modes become bits of a mask so "any mode in common" is one bitwise AND.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime

import numpy as np
import numpy.typing as npt

from .documents import NeedDoc, OfferDoc
from .tokenizer import term_counts

NO_PRICE = -1  # negotiable offer, or no budget bound on a need
UNKNOWN_TIME = float("nan")

OFFER_COLUMNS: Mapping[str, npt.DTypeLike] = {
    "industry": np.int32,
    "region": np.int32,
    "trl": np.int8,
    "price": np.int64,
    "modes": np.uint64,
    "published": np.float64,
}
NEED_COLUMNS: Mapping[str, npt.DTypeLike] = {
    "industry": np.int32,
    "region": np.int32,
    "min_trl": np.int8,
    "budget_min": np.int64,
    "budget_max": np.int64,
    "modes": np.uint64,
    "cross_region_ok": np.bool_,
    "published": np.float64,
}
# Query weights of a listing's own fields when it is the query (need → offers and back).
QUERY_PART_WEIGHTS: Mapping[str, float] = {"title": 1.5, "keywords": 1.5, "description": 1.0}


class Codes:
    """Numbers for names (industry codes, region codes, modes); 0 is reserved for none."""

    def __init__(self, limit: int = 1 << 30) -> None:
        self._numbers: dict[str, int] = {}
        self._limit = limit

    def number(self, name: str | None) -> int:
        if not name:
            return 0
        found = self._numbers.get(name)
        if found is None:
            if len(self._numbers) >= self._limit:
                raise ValueError(f"more than {self._limit} distinct values; cannot add {name!r}")
            found = self._numbers[name] = len(self._numbers) + 1
        return found

    def find(self, name: str) -> int:
        """The number of a known name, or -1: a query must not grow the vocabulary."""
        return self._numbers.get(name, -1)

    def mask(self, names: Iterable[str]) -> int:
        """Bit mask of a set of names (bit n-1 for number n)."""
        bits = 0
        for name in names:
            bits |= 1 << (self.number(name) - 1)
        return bits


class Vocabulary:
    """The codes shared by the offer and need indexes, so their columns compare directly."""

    def __init__(self) -> None:
        self.industries = Codes()
        self.regions = Codes()
        self.modes = Codes(limit=64)


def offer_fields(offer: OfferDoc) -> dict[str, Counter[str]]:
    return _fields(offer.title, offer.keywords, f"{offer.summary}\n{offer.description}")


def need_fields(need: NeedDoc) -> dict[str, Counter[str]]:
    return _fields(need.title, need.keywords, need.description)


def offer_query_parts(offer: OfferDoc) -> list[tuple[str, float]]:
    return _query_parts(offer.title, offer.keywords, f"{offer.summary}\n{offer.description}")


def need_query_parts(need: NeedDoc) -> list[tuple[str, float]]:
    return _query_parts(need.title, need.keywords, need.description)


def offer_row(offer: OfferDoc, vocabulary: Vocabulary) -> dict[str, float | int | bool]:
    price = offer.asking_price_fen
    return {
        "industry": vocabulary.industries.number(offer.industry),
        "region": vocabulary.regions.number(offer.region),
        "trl": offer.trl or 0,
        "price": NO_PRICE if price is None else price,
        "modes": vocabulary.modes.mask(offer.modes),
        "published": epoch_seconds(offer.published_at),
    }


def need_row(need: NeedDoc, vocabulary: Vocabulary) -> dict[str, float | int | bool]:
    low, high = need.budget_min_fen, need.budget_max_fen
    return {
        "industry": vocabulary.industries.number(need.industry),
        "region": vocabulary.regions.number(need.region),
        "min_trl": need.min_trl or 0,
        "budget_min": NO_PRICE if low is None else low,
        "budget_max": NO_PRICE if high is None else high,
        "modes": vocabulary.modes.mask(need.modes),
        "cross_region_ok": need.cross_region_ok,
        "published": epoch_seconds(need.published_at),
    }


def epoch_seconds(moment: datetime | None) -> float:
    return UNKNOWN_TIME if moment is None else moment.timestamp()


def _fields(title: str, keywords: Iterable[str], description: str) -> dict[str, Counter[str]]:
    return {
        "title": term_counts(title),
        "keywords": term_counts("\n".join(keywords)),
        "description": term_counts(description),
    }


def _query_parts(
    title: str, keywords: Iterable[str], description: str
) -> list[tuple[str, float]]:
    weights = QUERY_PART_WEIGHTS
    return [
        (title, weights["title"]),
        ("\n".join(keywords), weights["keywords"]),
        (description, weights["description"]),
    ]
