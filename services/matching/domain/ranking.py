"""Shared ranking steps: text pool → exact scores for the best few → top matches.

Structured factors are computed for the best text candidates first. Everything else in
the pool is scored only if its best possible score (all factors met, see
scoring.upper_bound) could still reach the results, which at 100,000 offers usually
means never: the answer stays exact while most candidates are never looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .documents import Match
from .explain import explanation, matched_terms
from .listing_index import ListingIndex
from .postings import SlotArray
from .relevance import TextQuery, raw_floor, text_relevance
from .scoring import TEXT_FLOOR, upper_bound
from .text_index import FloatArray

ColumnValues = Mapping[str, npt.NDArray[Any]]
FIRST_BATCH_PER_RESULT = 8
FIRST_BATCH_MIN = 200
_SMALLEST_SCORE = float(np.finfo(np.float32).tiny)
_ROUNDING = 1e-5  # bound and score are computed apart in float32
_SHOWN_DIGITS = 4


@dataclass(frozen=True, slots=True)
class Candidates:
    """Listings still in the running, with their column values and (once scored) scores."""

    slots: SlotArray
    text: FloatArray
    columns: ColumnValues
    score: FloatArray | None = None
    contributions: Mapping[str, FloatArray] = field(default_factory=dict)

    def where(self, keep: npt.NDArray[np.bool_]) -> Candidates:
        return Candidates(
            slots=self.slots[keep],
            text=self.text[keep],
            columns={name: values[keep] for name, values in self.columns.items()},
        )

    def scored(self, score: FloatArray, contributions: Mapping[str, FloatArray]) -> Candidates:
        return Candidates(self.slots, self.text, self.columns, score, contributions)


Scorer = Callable[[Candidates], Candidates]  # applies hard rules, then scores


def rank(
    index: ListingIndex,
    query: TextQuery,
    scorer: Scorer,
    factor_names: Collection[str],
    limit: int,
    min_score: float,
) -> list[Match]:
    """The best `limit` listings at or above min_score, best first, explained."""
    if query.empty or limit <= 0 or index.text.slot_count == 0:
        return []
    slots, text = _text_pool(index, query)
    first = _best(text, max(limit * FIRST_BATCH_PER_RESULT, FIRST_BATCH_MIN))
    found = scorer(_candidates(index, slots[first], text[first]))
    bar = max(min_score, _kth_best(found.score, limit))
    could_win = upper_bound(text, factor_names) >= bar - _ROUNDING
    could_win[first] = False
    if could_win.any():
        chosen = np.concatenate([first, np.flatnonzero(could_win)])
        found = scorer(_candidates(index, slots[chosen], text[chosen]))
    return _matches(index, query, found, limit, min_score)


def _text_pool(index: ListingIndex, query: TextQuery) -> tuple[SlotArray, FloatArray]:
    """Live listings sharing enough text with the query: no words in common, no match."""
    raw = index.text.accumulate(query.boosts)
    floor = max(raw_floor(query, TEXT_FLOOR), _SMALLEST_SCORE)
    hit = np.flatnonzero(raw >= floor)
    hit = hit[index.text.alive()[hit]]
    return hit, text_relevance(raw[hit], query)


def _best(values: FloatArray, count: int) -> npt.NDArray[np.intp]:
    """Positions of the `count` largest values, in no particular order."""
    if len(values) <= count:
        return np.arange(len(values))
    return np.argpartition(-values, count - 1)[:count]


def _kth_best(scores: FloatArray | None, k: int) -> float:
    if scores is None or len(scores) < k:
        return 0.0
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


def _candidates(index: ListingIndex, slots: SlotArray, text: FloatArray) -> Candidates:
    columns = {name: index.columns[name][slots] for name in index.columns.names}
    return Candidates(slots=slots, text=text, columns=columns)


def _matches(
    index: ListingIndex, query: TextQuery, found: Candidates, limit: int, min_score: float
) -> list[Match]:
    if found.score is None:
        return []
    qualifies = np.flatnonzero((found.score >= min_score) & (found.score > 0.0))
    best = qualifies[_best(found.score[qualifies], limit)]
    # Ties go to the earlier slot, i.e. the listing indexed first: stable across calls.
    order = best[np.lexsort((found.slots[best], -found.score[best]))]
    slots = found.slots[order]
    terms = matched_terms(index.text, query, slots)
    scores = found.score[order].tolist()
    # Rounded as arrays: round() of one float at a time was a tenth of a need's ranking.
    shares = {name: np.round(values[order].astype(np.float64), _SHOWN_DIGITS).tolist()
              for name, values in found.contributions.items()}
    return [
        Match(
            id=index.id_of(slot),
            score=round(scores[row], _SHOWN_DIGITS),
            explanation=explanation(terms[row], {name: column[row]
                                                 for name, column in shares.items()}),
        )
        for row, slot in enumerate(slots.tolist())
    ]
