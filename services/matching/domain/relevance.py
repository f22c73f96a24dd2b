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

from .text_index import FloatArray, TextIndex, bm25_idf
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
    weights: dict[str, float] = {}
    counts: Counter[str] = Counter()
    found_words: set[str] = set()
    for text, weight in parts:
        terms, text_words = _analysed(text)
        counts.update(terms)
        found_words.update(text_words)
        for term in dict.fromkeys(terms):  # first-seen order: it breaks ties in selection
            weights[term] = max(weights.get(term, 0.0), weight)
    frequencies = index.doc_frequencies(weights)
    slots = index.slot_count
    boosts = {term: weight * bm25_idf(frequencies[term], slots)
              for term, weight in _informative(weights, frequencies, index.common_above())}
    if len(boosts) > max_terms:
        boosts = _most_telling(boosts, counts, max_terms)
    query_words = frozenset(w for w in found_words if w in boosts)
    return TextQuery(boosts=boosts, words=query_words, reference=sum(boosts.values()))


@lru_cache(maxsize=4096)
def _analysed(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A text's terms and words. The same listings are ranked again and again (a need's
    matches, refreshed by its broker): segmenting their texts once is enough."""
    terms, words = analyse(text)
    return tuple(terms), tuple(words)


def _informative(weights: dict[str, float], frequencies: dict[str, int],
                 common_above: float) -> list[tuple[str, float]]:
    """The terms worth scoring: very common ones are left out unless nothing else matches
    (a search for 研究 alone still finds listings about research)."""
    rarer = [(term, w) for term, w in weights.items() if frequencies[term] <= common_above]
    if any(frequencies[term] for term, _ in rarer):
        return rarer
    return list(weights.items())


def raw_floor(query: TextQuery, relevance: float) -> float:
    """The raw BM25 score whose text relevance is `relevance` (to filter before mapping)."""
    return -math.log(1.0 - relevance) / SATURATION * query.reference


def text_relevance(raw: FloatArray, query: TextQuery) -> FloatArray:
    """Map raw BM25 scores of one query into [0, 1), comparable across queries."""
    if query.reference <= 0.0:
        return np.zeros_like(raw)
    ratio = raw / np.float32(query.reference)
    return (1.0 - np.exp(-SATURATION * ratio)).astype(np.float32)


def _most_telling(boosts: dict[str, float], counts: Counter[str], keep: int) -> dict[str, float]:
    """The `keep` terms worth most (boost × (1 + ln count)), most telling first; on ties the
    earlier term wins. Vectorised: a long need has hundreds of candidate terms."""
    terms = list(boosts)
    worth = np.fromiter(boosts.values(), dtype=np.float64, count=len(terms))
    repeats = np.fromiter((counts[term] for term in terms), dtype=np.float64, count=len(terms))
    telling = worth * (1.0 + np.log(repeats))
    chosen = np.argsort(-telling, kind="stable")[:keep]
    return {terms[i]: boosts[terms[i]] for i in chosen}
