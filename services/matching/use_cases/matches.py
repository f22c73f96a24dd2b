"""Use cases of the matching API: matches of a known listing, ad-hoc search for offers.

The listing asking for matches may be in any status (a broker may look at what a
withdrawn need would have found): a published one is in the index already, any other
is read from the read model. What it is matched against comes from the index, i.e.
published listings only.

Both take a `Reader` (the route's `Tx.read`) rather than a `Db`: most requests are
answered from the index alone, and a unit of work is opened only when the database has
something to add (a listing the index does not hold, a region to resolve).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from services.matching import repository
from services.matching.domain import Match, OfferSearch
from services.matching.domain.listings import NEED, OFFER, ListingKind
from services.matching.domain.market_index import MarketIndex
from services.matching.schemas import SearchIn
from shared.db import Db
from shared.errors import FieldError, NotFound, Unprocessable
from shared.regions import resolve_region

T = TypeVar("T")
Reader = Callable[[Callable[[Db], Awaitable[T]]], Awaitable[T]]  # Tx.read

# Scores are shown rounded to 4 decimals. A client passing a shown score back as min_score
# must get that match again, so the engine is asked with half a rounding unit less and
# the rounded scores are held to min_score here.
_HALF_ROUNDING_UNIT = 5e-5


async def matches_for(read: Reader[Any], index: MarketIndex, kind: ListingKind,
                      listing_id: uuid.UUID, limit: int, min_score: float) -> dict[str, Any]:
    """The best listings of the other kind for a listing matching has seen."""
    held = index.held(kind).get(str(listing_id))
    doc = held.doc if held is not None else await _stored_doc(read, kind, listing_id)
    matches = kind.rank_other(index.engine, doc, limit=limit,
                              min_score=_engine_floor(min_score))
    return _answer(index, NEED if kind is OFFER else OFFER, matches, min_score)


async def search_offers(read: Reader[Any], index: MarketIndex, query: SearchIn,
                        limit: int, min_score: float) -> dict[str, Any]:
    """Published offers for free text, filtered by the optional criteria."""
    region = None
    if query.region is not None:
        given = query.region
        found = await read(lambda db: resolve_region(db, given))
        if found is None:
            raise Unprocessable("unknown region", [FieldError(
                "region", "not a region of the market (BJ, TJ, HE or 110000 ...)")])
        region = found.short_code
    search = OfferSearch(text=query.text, industry=query.industry, region=region,
                         min_trl=query.min_trl, max_price_fen=query.max_price_fen)
    ranked = index.engine.search_offers(search, limit, _engine_floor(min_score))
    return _answer(index, OFFER, ranked, min_score)


async def _stored_doc(read: Reader[Any], kind: ListingKind, listing_id: uuid.UUID) -> Any:
    row = await read(lambda db: repository.listing(db, kind, listing_id))
    if row is None or row["title"] is None:
        raise NotFound(f"{kind.name} {listing_id} is not known to matching (yet)")
    return kind.doc(row)


def _engine_floor(min_score: float) -> float:
    return max(0.0, min_score - _HALF_ROUNDING_UNIT)


def _answer(index: MarketIndex, ranked: ListingKind, matches: list[Match],
            min_score: float) -> dict[str, Any]:
    held = index.held(ranked)
    items = []
    for match in matches:
        known = held.get(match.id)
        if known is None or match.score < min_score:  # (not held: never expected)
            continue
        items.append({
            f"{ranked.name}_id": match.id,
            "score": match.score,
            "explanation": {"matched_terms": list(match.explanation.matched_terms),
                            "factors": dict(match.explanation.factors)},
            ranked.name: ranked.card(known.doc),
        })
    return {"items": items}
