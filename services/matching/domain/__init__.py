"""Pure matching engine of the matching service: no database, HTTP or Kafka.

    engine = MatchingEngine()
    engine.put_offer(OfferDoc(...))        # offer.published / offer.updated (replaces)
    engine.remove_offer(offer_id)          # withdrawn / expired / in_deal / transacted
    engine.put_need(NeedDoc(...)); engine.remove_need(need_id)
    engine.offers_for_need(need, limit=20, min_score=0.3)  # → list[Match], best first
    engine.needs_for_offer(offer, limit=20, min_score=0.3)
    engine.search_offers(OfferSearch(text="锂电池正极材料", region="BJ"), limit=20)

Every `Match` has the listing id, a score in [0, 1] and an explanation: the query terms
found in the listing and each factor's contribution (they add up to the score).
Synchronous and not thread-safe: call it from one thread, e.g. the event loop.
"""

from .documents import FACTORS, Explanation, Match, NeedDoc, OfferDoc, OfferSearch
from .engine import DEFAULT_LIMIT, MatchingEngine
from .tokenizer import tokenize

__all__ = [
    "DEFAULT_LIMIT",
    "FACTORS",
    "Explanation",
    "Match",
    "MatchingEngine",
    "NeedDoc",
    "OfferDoc",
    "OfferSearch",
    "tokenize",
]
