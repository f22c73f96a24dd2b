"""What the matching engine consumes (listings, queries) and produces (matches).

The engine keeps no copy of these documents: it indexes their text and a few
structured attributes, and hands back ids. The service owns the read model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

# Factor names, in the order the API shows them.
FACTORS: tuple[str, ...] = ("text", "industry", "trl", "price", "mode", "region", "freshness")


@dataclass(frozen=True, slots=True)
class OfferDoc:
    """A published technology offer (技术成果) or lab service offer."""

    id: str
    title: str
    description: str
    region: str
    industry: str | None = None
    trl: int | None = None
    asking_price_fen: int | None = None  # None means negotiable (面议)
    modes: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()
    summary: str = ""
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NeedDoc:
    """A published technology need (技术需求)."""

    id: str
    title: str
    description: str
    region: str
    industry: str | None = None
    min_trl: int | None = None
    budget_min_fen: int | None = None
    budget_max_fen: int | None = None
    modes: frozenset[str] = frozenset()
    cross_region_ok: bool = True
    keywords: tuple[str, ...] = ()
    published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OfferSearch:
    """An ad-hoc search for offers: free text plus optional hard filters."""

    text: str
    industry: str | None = None
    region: str | None = None
    min_trl: int | None = None
    max_price_fen: int | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a listing matched: query terms found in it, and each factor's share of the score.

    The factor contributions add up to the match score (rounding aside).
    """

    matched_terms: tuple[str, ...]
    factors: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked listing: an offer id for a need or a search, a need id for an offer."""

    id: str
    score: float
    explanation: Explanation
