"""The matching engine: published offers and needs in memory, ranked against each other.

Pure and synchronous: the service feeds it from listing events (put on published or
updated, remove on withdrawn, expired, in_deal, transacted, fulfilled) and rebuilds it
from its read model at start. Not thread-safe: call it from one thread (the event loop).
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from .documents import Match, NeedDoc, OfferDoc, OfferSearch
from .encoding import (
    NEED_COLUMNS,
    OFFER_COLUMNS,
    Vocabulary,
    need_fields,
    need_query_parts,
    need_row,
    offer_fields,
    offer_query_parts,
    offer_row,
)
from .factors import eligible, pair_factors
from .listing_index import ListingIndex
from .ranking import Candidates, rank
from .relevance import build_query
from .scoring import WEIGHTS, combine

DEFAULT_LIMIT = 20
STRUCTURED = tuple(name for name in WEIGHTS if name != "text")


class MatchingEngine:
    def __init__(self) -> None:
        self._vocabulary = Vocabulary()
        self.offers = ListingIndex(OFFER_COLUMNS)
        self.needs = ListingIndex(NEED_COLUMNS)

    def put_offer(self, offer: OfferDoc) -> None:
        """Index a published offer, replacing any earlier version with the same id."""
        self.offers.put(offer.id, offer_fields(offer), offer_row(offer, self._vocabulary))

    def remove_offer(self, offer_id: str) -> bool:
        """Stop matching an offer; False if it was not indexed."""
        return self.offers.remove(offer_id)

    def put_need(self, need: NeedDoc) -> None:
        """Index a published need, replacing any earlier version with the same id."""
        self.needs.put(need.id, need_fields(need), need_row(need, self._vocabulary))

    def remove_need(self, need_id: str) -> bool:
        """Stop matching a need; False if it was not indexed."""
        return self.needs.remove(need_id)

    def offers_for_need(
        self,
        need: NeedDoc,
        limit: int = DEFAULT_LIMIT,
        min_score: float = 0.0,
        now: datetime | None = None,
    ) -> list[Match]:
        """Best offers for a need (indexed or not), best first; `now` dates freshness."""
        query = build_query(need_query_parts(need), self.offers.text)
        need_side = need_row(need, self._vocabulary)
        moment = (now or datetime.now(UTC)).timestamp()

        def score(found: Candidates) -> Candidates:
            found = found.where(eligible(need_side, found.columns))
            factors = pair_factors(need_side, found.columns, found.columns["published"], moment)
            return found.scored(*combine(found.text, factors))

        return rank(self.offers, query, score, STRUCTURED, limit, min_score)

    def needs_for_offer(
        self,
        offer: OfferDoc,
        limit: int = DEFAULT_LIMIT,
        min_score: float = 0.0,
        now: datetime | None = None,
    ) -> list[Match]:
        """Best needs for an offer (indexed or not), best first; the mirror of the above."""
        query = build_query(offer_query_parts(offer), self.needs.text)
        offer_side = offer_row(offer, self._vocabulary)
        moment = (now or datetime.now(UTC)).timestamp()

        def score(found: Candidates) -> Candidates:
            found = found.where(eligible(found.columns, offer_side))
            factors = pair_factors(found.columns, offer_side, found.columns["published"], moment)
            return found.scored(*combine(found.text, factors))

        return rank(self.needs, query, score, STRUCTURED, limit, min_score)

    def search_offers(
        self, search: OfferSearch, limit: int = DEFAULT_LIMIT, min_score: float = 0.0
    ) -> list[Match]:
        """Offers for free text; the optional criteria are filters, the score is text only."""
        query = build_query([(search.text, 1.0)], self.offers.text)

        def score(found: Candidates) -> Candidates:
            found = found.where(self._search_filter(search, found))
            return found.scored(*combine(found.text, {}))

        return rank(self.offers, query, score, (), limit, min_score)

    def _search_filter(self, search: OfferSearch, found: Candidates) -> npt.NDArray[np.bool_]:
        columns, keep = found.columns, np.ones(len(found.text), dtype=bool)
        if search.industry:
            keep &= columns["industry"] == self._vocabulary.industries.find(search.industry)
        if search.region:
            keep &= columns["region"] == self._vocabulary.regions.find(search.region)
        if search.min_trl:
            keep &= columns["trl"] >= search.min_trl
        if search.max_price_fen is not None:
            price = columns["price"]
            keep &= (price < 0) | (price <= search.max_price_fen)
        return keep
