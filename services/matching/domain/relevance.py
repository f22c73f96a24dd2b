"""From query text to weighted terms, and from raw BM25 to a relevance in [0, 1].

Raw BM25 grows with query length and term rarity, so a threshold on it would mean
something different for every query. Each query therefore gets a reference score: what a
listing would earn holding every query term once in an average-length description. The
ratio raw / reference is the share of the query's information the listing covers (> 1
when terms repeat or sit in the title); a saturating curve maps it into [0, 1). The curve
is monotonic, so ranking by text alone is exactly BM25 ranking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from .text_index import FloatArray, TextIndex, bm25_idf_array
from .tokenizer import analyse

# Long listings used as queries (a need's description) are cut to their most telling
# terms, as "more like this" queries usually are: keeps latency flat, barely moves ranking.
MAX_QUERY_TERMS = 96
# Coverage ratio 1.0 (every term once) maps to 1 - e^-1.6 ≈ 0.80; a ratio of 0.25 to 0.33.
SATURATION = 1.6


@dataclass(frozen=True, slots=True)
class TextQuery:
    boosts: dict[str, float]  # term → query weight × IDF, what each term is worth
    words: frozenset[str]  # the query's dictionary and ASCII words, for explanations
    reference: float  # raw score of a listing holding each term once in its description

    @property
    def empty(self) -> bool:
        return not self.boosts


def build_query(
    parts: Sequence[tuple[str, float]], index: TextIndex, max_terms: int = MAX_QUERY_TERMS
) -> TextQuery:
    """Weighted query terms from (text, weight) parts, e.g. a need's title and description.

    A term counts once per query (presence, at the weight of the strongest part it is in);
    how often it repeats only helps choose which terms to keep when the query is long.
    """
    bag = _bag(tuple(parts))
    key = (index.version, max_terms)
    if bag.last is None or bag.last[0] != key:
        bag.last = (key, _weighted(bag, index, max_terms))
    return bag.last[1]


def _weighted(bag: _Bag, index: TextIndex, max_terms: int) -> TextQuery:
    if not bag.terms:
        return TextQuery(boosts={}, words=frozenset(), reference=0.0)
    frequencies = index.doc_frequency_array(bag.terms)
    boosts = bag.weights * bm25_idf_array(frequencies, index.slot_count)
    chosen = _informative(frequencies, index.common_above())
    if len(chosen) > max_terms:
        chosen = _most_telling(chosen, boosts, bag.repeats, max_terms)
    kept = dict(zip([bag.terms[i] for i in chosen.tolist()], boosts[chosen].tolist(),
                    strict=True))
    query_words = frozenset(w for w in bag.words if w in kept)
    return TextQuery(boosts=kept, words=query_words, reference=sum(kept.values()))


@dataclass(slots=True)
class _Bag:
    """A query text's distinct terms in first-seen order (it breaks ties in selection),
    each at the weight of the strongest part it is in, how often it occurs, and words;
    `last` keeps the query weighted for the index's latest version."""

    terms: tuple[str, ...]
    weights: npt.NDArray[np.float64]
    repeats: npt.NDArray[np.float64]
    words: frozenset[str]
    last: tuple[tuple[tuple[int, int], int], TextQuery] | None = None


@lru_cache(maxsize=2048)
def _bag(parts: tuple[tuple[str, float], ...]) -> _Bag:
    """The same listings are ranked again and again (a need's matches, refreshed by its
    broker): what their texts say is worked out once, and their term weights once per
    version of the index (they change with its statistics)."""
    weights: dict[str, float] = {}
    counts: Counter[str] = Counter()
    found_words: set[str] = set()
    for text, weight in parts:
        terms, text_words = analyse(text)
        counts.update(terms)
        found_words.update(text_words)
        for term in dict.fromkeys(terms):
            weights[term] = max(weights.get(term, 0.0), weight)
    order = tuple(weights)
    return _Bag(terms=order,
                weights=np.fromiter(weights.values(), dtype=np.float64, count=len(order)),
                repeats=np.fromiter((counts[t] for t in order), dtype=np.float64,
                                    count=len(order)),
                words=frozenset(found_words))


def _informative(frequencies: npt.NDArray[np.intp], common_above: float) -> npt.NDArray[np.intp]:
    """Positions of the terms worth scoring: very common ones are left out unless nothing
    else matches (a search for 研究 alone still finds listings about research)."""
    rarer = np.flatnonzero(frequencies <= common_above)
    if frequencies[rarer].any():
        return rarer
    return np.arange(len(frequencies))


def raw_floor(query: TextQuery, relevance: float) -> float:
    """The raw BM25 score whose text relevance is `relevance` (to filter before mapping)."""
    return -math.log(1.0 - relevance) / SATURATION * query.reference


def text_relevance(raw: FloatArray, query: TextQuery) -> FloatArray:
    """Map raw BM25 scores of one query into [0, 1), comparable across queries."""
    if query.reference <= 0.0:
        return np.zeros_like(raw)
    ratio = raw / np.float32(query.reference)
    return (1.0 - np.exp(-SATURATION * ratio)).astype(np.float32)


def _most_telling(chosen: npt.NDArray[np.intp], boosts: npt.NDArray[np.float64],
                  repeats: npt.NDArray[np.float64], keep: int) -> npt.NDArray[np.intp]:
    """The `keep` of the chosen terms worth most (boost × (1 + ln count)), most telling
    first; on ties the earlier term wins."""
    telling = boosts[chosen] * (1.0 + np.log(repeats[chosen]))
    return chosen[np.argsort(-telling, kind="stable")[:keep]]
