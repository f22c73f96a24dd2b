"""Structured factors between a need and an offer, vectorised over many candidates.

Each side is a mapping of column name → value, either one listing (scalars, from a row)
or many candidates (arrays, from the columns); numpy broadcasting makes the same code
rank offers for a need and needs for an offer.

Decisions:
- TRL: an offer below the need's minimum TRL is excluded, not penalised: the minimum is
  a stated requirement, and a penalised-but-listed offer would waste a broker's time. An
  offer without a TRL cannot show it meets a minimum, so it is excluded too.
- Region: a need with cross_region_ok=false only sees offers of its own region (hard
  rule); otherwise the same region earns only a small bonus (one unified market).
- Price: within budget 1.0; cheaper than the budget floor 0.75 (affordable, but likely
  smaller in scope than the buyer planned); above the ceiling it fades linearly to 0 at
  1.5 × the ceiling (room to negotiate). A negotiable offer, or a need without budget,
  makes the factor not apply, so the price neither adds to nor takes from the score.
- A factor also does not apply when either side leaves the attribute out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from .encoding import NEED_COLUMNS, NO_PRICE, OFFER_COLUMNS

Side = Mapping[str, npt.ArrayLike]
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

FRESHNESS_HALF_LIFE_DAYS = 180.0
BELOW_BUDGET_FIT = 0.75
OVER_BUDGET_FADE = 0.5  # fit reaches 0 at (1 + this) × the budget ceiling
_SECONDS_PER_DAY = 86_400.0


class Factor(NamedTuple):
    value: FloatArray  # in [0, 1]
    applies: BoolArray  # where False the factor is left out of the score


def eligible(need: Side, offer: Side) -> BoolArray:
    """Hard rules: TRL at least the need's minimum; own region unless cross-region is ok."""
    min_trl = _need(need, "min_trl")
    trl_ok = (min_trl == 0) | (_offer(offer, "trl") >= min_trl)
    same_region = _need(need, "region") == _offer(offer, "region")
    region_ok = _need(need, "cross_region_ok") | same_region
    return np.asarray(trl_ok & region_ok, dtype=bool)


def pair_factors(
    need: Side, offer: Side, published: npt.ArrayLike, now: float
) -> dict[str, Factor]:
    """Every structured factor of eligible need/offer pairs; published is the ranked side's."""
    return {
        "industry": _equal_codes(_need(need, "industry"), _offer(offer, "industry")),
        "trl": _trl(need),
        "price": _price(need, offer),
        "mode": _modes(need, offer),
        "region": _equal_codes(_need(need, "region"), _offer(offer, "region")),
        "freshness": freshness(published, now),
    }


def freshness(published: npt.ArrayLike, now: float) -> Factor:
    """Half the credit after 180 days; listings without a publication time are left out."""
    moment = np.asarray(published, dtype=np.float64)
    age_days = np.maximum(now - moment, 0.0) / _SECONDS_PER_DAY
    value = np.power(0.5, age_days / FRESHNESS_HALF_LIFE_DAYS)
    return _factor(np.nan_to_num(value), ~np.isnan(moment))


def price_fit(price: npt.ArrayLike, low: npt.ArrayLike, high: npt.ArrayLike) -> FloatArray:
    """How well an asking price fits a budget [low, high]; NO_PRICE bounds are open."""
    p, lo, hi = (np.asarray(x, dtype=np.float64) for x in (price, low, high))
    has_ceiling = hi != NO_PRICE
    ceiling = np.where(has_ceiling, hi, 1.0)
    over = (p - ceiling) / np.maximum(ceiling * OVER_BUDGET_FADE, 1.0)
    fit = np.where(has_ceiling & (p > ceiling), np.clip(1.0 - over, 0.0, 1.0), 1.0)
    fit = np.where((lo != NO_PRICE) & (p < lo), BELOW_BUDGET_FIT, fit)
    return np.asarray(fit, dtype=np.float32)


def _equal_codes(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> Factor:
    return _factor(a == b, (a != 0) & (b != 0))


def _trl(need: Side) -> Factor:
    # Offers below the minimum were already excluded: where a minimum exists it is met.
    required = _need(need, "min_trl") > 0
    return _factor(np.ones_like(required, dtype=np.float32), required)


def _price(need: Side, offer: Side) -> Factor:
    price = _offer(offer, "price")
    low, high = _need(need, "budget_min"), _need(need, "budget_max")
    has_budget = (low != NO_PRICE) | (high != NO_PRICE)
    return _factor(price_fit(price, low, high), has_budget & (price != NO_PRICE))


def _modes(need: Side, offer: Side) -> Factor:
    wanted, offered = _need(need, "modes"), _offer(offer, "modes")
    return _factor((wanted & offered) != 0, (wanted != 0) & (offered != 0))


def _factor(value: npt.ArrayLike, applies: npt.ArrayLike) -> Factor:
    return Factor(np.asarray(value, dtype=np.float32), np.asarray(applies, dtype=bool))


def _need(need: Side, name: str) -> npt.NDArray[Any]:
    return np.asarray(need[name], dtype=NEED_COLUMNS[name])


def _offer(offer: Side, name: str) -> npt.NDArray[Any]:
    return np.asarray(offer[name], dtype=OFFER_COLUMNS[name])
