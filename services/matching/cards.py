"""What a match shows of the listing it points to, kept in memory beside the index.

The engine hands back ids only; a card per ranked listing answers a matches request
without a database round trip. Cards carry the read model's version, so the index can
tell a listing it already holds from a newer version of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class OfferCard:
    version: int
    title: str
    region: str
    industry: str | None
    trl: int | None
    asking_price_fen: int | None

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> OfferCard:
        return cls(row["version"], row["title"], row["region"], row["industry"], row["trl"],
                   row["asking_price_fen"])

    def public(self) -> dict[str, Any]:
        shown = asdict(self)
        del shown["version"]
        return shown


@dataclass(frozen=True, slots=True)
class NeedCard:
    version: int
    title: str
    region: str
    industry: str | None
    min_trl: int | None
    budget_min_fen: int | None
    budget_max_fen: int | None
    cross_region_ok: bool

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> NeedCard:
        return cls(row["version"], row["title"], row["region"], row["industry"],
                   row["min_trl"], row["budget_min_fen"], row["budget_max_fen"],
                   bool(row["cross_region_ok"]))

    def public(self) -> dict[str, Any]:
        shown = asdict(self)
        del shown["version"]
        return shown
