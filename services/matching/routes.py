"""HTTP routes of the matching service: thin, every rule is in use_cases/matches.py."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Query, Request

from services.matching.domain.listings import NEED, OFFER
from services.matching.domain.market_index import MarketIndex
from services.matching.schemas import MAX_LIMIT, NeedMatches, OfferMatches, SearchIn
from services.matching.settings import get_matching_settings
from services.matching.use_cases import matches
from shared.auth import Principal, authenticated
from shared.errors import Unavailable
from shared.transaction import JSON, Tx, transaction

router = APIRouter(tags=["matching"])
# The routes answer with the JSON directly: `response_model` documents the shape, and
# skipping its re-validation of every item saves a good share of a request's cost.


@dataclass(frozen=True)
class Ranking:
    limit: int
    min_score: float


# Dependencies are async: FastAPI runs plain functions in a worker thread, a hop that
# costs more than what they do.
async def ranking(
    limit: int = Query(20, ge=1, le=MAX_LIMIT, description="how many matches at most"),
    min_score: float | None = Query(
        None, ge=0, le=1, description="leave out weaker matches; default 0.3 (a setting)"),
) -> Ranking:
    chosen = get_matching_settings().default_min_score if min_score is None else min_score
    return Ranking(limit, chosen)


async def market_index(request: Request) -> MarketIndex:
    index: MarketIndex = request.app.state.runtime.state["index"]
    if not index.ready:
        raise Unavailable("the matching index is being rebuilt; retry in a few seconds",
                          headers={"Retry-After": "5"})
    return index


@router.get("/needs/{need_id}/matches", response_model=OfferMatches,
            summary="Published offers for a need, best first, explained")
async def need_matches(need_id: uuid.UUID, ranked: Ranking = Depends(ranking),
                       _: Principal = Depends(authenticated),
                       index: MarketIndex = Depends(market_index),
                       tx: Tx = Depends(transaction)) -> JSON:
    return JSON(await matches.matches_for(tx.read, index, NEED, need_id, ranked.limit,
                                          ranked.min_score))


@router.get("/offers/{offer_id}/matches", response_model=NeedMatches,
            summary="Published needs for an offer, best first, explained")
async def offer_matches(offer_id: uuid.UUID, ranked: Ranking = Depends(ranking),
                        _: Principal = Depends(authenticated),
                        index: MarketIndex = Depends(market_index),
                        tx: Tx = Depends(transaction)) -> JSON:
    return JSON(await matches.matches_for(tx.read, index, OFFER, offer_id, ranked.limit,
                                          ranked.min_score))


@router.post("/search", response_model=OfferMatches,
             summary="Published offers for free text, with optional filters")
async def search(body: SearchIn, ranked: Ranking = Depends(ranking),
                 _: Principal = Depends(authenticated),
                 index: MarketIndex = Depends(market_index),
                 tx: Tx = Depends(transaction)) -> JSON:
    # A read: nothing is written, so a retried search (Idempotency-Key or not) is harmless.
    return JSON(await matches.search_offers(tx.read, index, body, ranked.limit,
                                            ranked.min_score))
