"""Offers and needs side by side: read-model rows, engine documents, cards.

Everything that differs between the two kinds of listing in the engine's terms is here,
so the index and the use cases are written once for both. (How each kind arrives on
`listings.events` is `use_cases/listing_events.py`; where it is stored, the repository.)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .documents import Match, NeedDoc, OfferDoc
from .engine import MatchingEngine

Row = Mapping[str, Any]
PUBLISHED = "published"


@dataclass(frozen=True)
class ListingKind:
    name: str  # offer | need
    doc: Callable[[Row], Any]  # read-model row → OfferDoc | NeedDoc
    card: Callable[[Any], dict[str, Any]]  # document → what a match shows of it
    put: Callable[[MatchingEngine, Any], None]
    remove: Callable[[MatchingEngine, str], bool]
    # Ranks the OTHER kind for a listing of this kind (offer → needs, need → offers).
    rank_other: Callable[..., list[Match]]


def is_ranked(row: Row) -> bool:
    """Only published listings whose content is known are in the index."""
    return row["status"] == PUBLISHED and row["title"] is not None


def offer_doc(row: Row) -> OfferDoc:
    return OfferDoc(
        id=str(row["id"]), title=row["title"], description=row["description"] or "",
        summary=row["summary"] or "", region=row["region"], industry=row["industry"],
        trl=row["trl"], asking_price_fen=row["asking_price_fen"],
        modes=frozenset(row["modes"] or ()), keywords=tuple(row["keywords"] or ()),
        published_at=row["published_at"],
    )


def need_doc(row: Row) -> NeedDoc:
    return NeedDoc(
        id=str(row["id"]), title=row["title"], description=row["description"] or "",
        region=row["region"], industry=row["industry"], min_trl=row["min_trl"],
        budget_min_fen=row["budget_min_fen"], budget_max_fen=row["budget_max_fen"],
        modes=frozenset(row["modes"] or ()), cross_region_ok=bool(row["cross_region_ok"]),
        keywords=tuple(row["keywords"] or ()), published_at=row["published_at"],
    )


def offer_card(offer: OfferDoc) -> dict[str, Any]:
    return {"title": offer.title, "region": offer.region, "industry": offer.industry,
            "trl": offer.trl, "asking_price_fen": offer.asking_price_fen}


def need_card(need: NeedDoc) -> dict[str, Any]:
    return {"title": need.title, "region": need.region, "industry": need.industry,
            "min_trl": need.min_trl, "budget_min_fen": need.budget_min_fen,
            "budget_max_fen": need.budget_max_fen, "cross_region_ok": need.cross_region_ok}


OFFER = ListingKind(
    name="offer", doc=offer_doc, card=offer_card,
    put=MatchingEngine.put_offer, remove=MatchingEngine.remove_offer,
    rank_other=MatchingEngine.needs_for_offer,
)
NEED = ListingKind(
    name="need", doc=need_doc, card=need_card,
    put=MatchingEngine.put_need, remove=MatchingEngine.remove_need,
    rank_other=MatchingEngine.offers_for_need,
)
KINDS = (OFFER, NEED)

