"""Explanations: which query terms a matched listing contains, and factor contributions.

The index matches on words, bigrams and single characters, but a broker should read
words. So the matched terms are the query's words found in the listing, plus bigrams
only as fragments of a longer query word that did not match whole (电池 from a need
about 锂电池 hitting an offer about 锂离子电池). Bigrams straddling two words (病害原因 →
害原) and lone characters of longer words are never shown. Most telling first (query
weight × IDF); a fragment of a term already listed is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import numpy as np

from .documents import FACTORS, Explanation
from .postings import SlotArray
from .relevance import TextQuery
from .text_index import TextIndex

MAX_MATCHED_TERMS = 12


def matched_terms(index: TextIndex, query: TextQuery, slots: SlotArray) -> list[tuple[str, ...]]:
    """For each slot, the readable query terms it contains, most telling first."""
    shown = _showable(query)
    if not shown or len(slots) == 0:
        return [() for _ in range(len(slots))]
    # Only the terms each listing holds are walked (a need's query has ~100 terms, a
    # listing holds a few of them); nonzero lists them row by row, in query-term order.
    rows, columns = np.nonzero(index.contained(shown, slots))
    held: list[list[str]] = [[] for _ in range(len(slots))]
    for row, column in zip(rows.tolist(), columns.tolist(), strict=True):
        held[row].append(shown[column])
    return [_readable(terms) for terms in held]


def explanation(terms: tuple[str, ...], contributions: Mapping[str, float]) -> Explanation:
    """Every factor the API shows is present; one that did not apply contributed 0.
    Contributions come rounded to the digits shown."""
    factors = {name: contributions.get(name, 0.0) for name in FACTORS}
    return Explanation(matched_terms=terms, factors=factors)


def _showable(query: TextQuery) -> list[str]:
    """Query words and their fragments, most telling first, longer first on ties."""
    showable = query.words | _fragments(query.words)
    terms = [t for t in query.boosts if t in showable]
    return sorted(terms, key=lambda t: (-query.boosts[t], -len(t)))


def _readable(held: list[str]) -> tuple[str, ...]:
    """The held terms, most telling first, without fragments of a term already kept."""
    kept: list[str] = []
    covered: set[str] = set()  # every substring of a kept term
    for term in held:
        if term in covered:
            continue
        kept.append(term)
        if len(kept) == MAX_MATCHED_TERMS:
            break
        covered |= _substrings(term)
    return tuple(kept)


@lru_cache(maxsize=16384)
def _substrings(term: str) -> frozenset[str]:
    size = len(term)
    return frozenset(term[i:j] for i in range(size) for j in range(i + 1, size + 1))


def _fragments(query_words: frozenset[str]) -> set[str]:
    """Bigrams inside longer words; single characters are too vague to show (提 of 提高)."""
    return {w[i : i + 2] for w in query_words if len(w) > 2 for i in range(len(w) - 1)}
