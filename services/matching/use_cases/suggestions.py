"""match.suggested: when a listing is published, its best matches on the other side."""

from __future__ import annotations

from services.matching.domain import Match
from services.matching.domain.listings import OFFER, ListingKind, Row
from services.matching.domain.market_index import MarketIndex
from services.matching.settings import MatchingSettings
from services.matching.use_cases.listing_events import events_of
from shared import outbox
from shared.db import Db
from shared.events.matching import MatchSuggested


async def suggest(db: Db, kind: ListingKind, row: Row, index: MarketIndex,
                  settings: MatchingSettings, causation_id: str) -> int:
    """Record a suggestion per good match of a just-published listing; how many."""
    other = index.needs if kind is OFFER else index.offers
    if settings.suggest_count == 0 or not other:
        return 0  # nothing to rank against: skip tokenising the listing as a query
    matches: list[Match] = kind.rank_other(index.engine, kind.doc(row),
                                           limit=settings.suggest_count,
                                           min_score=settings.suggest_min_score)
    listing_id = str(row["id"])
    for match in matches:
        need_id, offer_id = (match.id, listing_id) if kind is OFFER else (listing_id, match.id)
        await outbox.record(db, MatchSuggested(
            need_id=need_id, offer_id=offer_id, score=match.score,
            trigger=events_of(kind).published_type,
            matched_terms=list(match.explanation.matched_terms)), causation_id=causation_id)
    return len(matches)
