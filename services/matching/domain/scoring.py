"""The match score: text relevance and structured factors folded into [0, 1].

score = (w_text·text + gate·Σ w_f·value_f) / (w_text + Σ w_f), summing only factors that
apply to the pair. Leaving out a factor that does not apply (rather than scoring it 0 or
0.5) keeps a negotiable price neutral: the score stays the average of the other
evidence, between an offer within budget and one over it.

The gate = min(1, (text / TEXT_FOR_FULL_CREDIT)²) makes structured factors qualify a
topical match instead of creating one: an offer that shares the need's industry, region
and modes but only a few generic words cannot climb over min_score on paperwork alone.
Each term of the sum is reported as that factor's contribution; they add up to the score.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np

from .factors import Factor, FloatArray

WEIGHTS: Mapping[str, float] = {
    "text": 0.55,
    "industry": 0.15,
    "trl": 0.06,
    "price": 0.08,
    "mode": 0.08,
    "region": 0.03,
    "freshness": 0.05,
}
TEXT_FOR_FULL_CREDIT = 0.25
# Below this text relevance a listing shares only incidental characters with the query.
TEXT_FLOOR = 0.03


def combine(
    text: FloatArray, factors: Mapping[str, Factor], weights: Mapping[str, float] = WEIGHTS
) -> tuple[FloatArray, dict[str, FloatArray]]:
    """Scores of candidates and each factor's contribution (text included)."""
    text_weight = weights["text"]
    total = np.full(text.shape, text_weight, dtype=np.float32)
    for name, factor in factors.items():
        total += weights[name] * factor.applies  # a factor may be one value for all
    gate = _gate(text)
    contributions = {"text": (text_weight * text / total).astype(np.float32)}
    for name, factor in factors.items():
        earned = weights[name] * (factor.value * factor.applies)
        contributions[name] = (gate * earned / total).astype(np.float32)
    score = np.sum(list(contributions.values()), axis=0, dtype=np.float32)
    return np.clip(score, 0.0, 1.0), contributions


def upper_bound(
    text: FloatArray, factor_names: Collection[str], weights: Mapping[str, float] = WEIGHTS
) -> FloatArray:
    """The highest score a candidate with this text relevance could reach.

    The score is a ratio of sums that moves monotonically with the weight of the factors
    that apply, so its maximum is at an end: no factor applies, or all apply, fully met.
    """
    text_weight = weights["text"]
    factor_weight = sum(weights[name] for name in factor_names)
    all_met = (text_weight * text + _gate(text) * factor_weight) / (text_weight + factor_weight)
    return np.maximum(text, all_met).astype(np.float32)


def _gate(text: FloatArray) -> FloatArray:
    return np.minimum(1.0, np.square(text / TEXT_FOR_FULL_CREDIT)).astype(np.float32)
