"""How offers and needs arrive on `listings.events`: which events carry what, as rows.

A snapshot event (published, updated) carries the whole listing; a status event
(withdrawn, expired, in deal, transacted / fulfilled) only its new status and version.
Both become rows of the read model (see the repository).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from services.matching.domain.listings import NEED, OFFER, ListingKind
from shared.events import listings as events


@dataclass(frozen=True)
class ListingEvents:
    kind: ListingKind
    snapshot_types: frozenset[str]  # events carrying the whole listing
    status_types: frozenset[str]  # events carrying only a new status
    published_type: str
    snapshot_row: Callable[[Any], dict[str, Any]]  # event data → read-model row
    status_row: Callable[[Any], dict[str, Any]]  # event data → id, status, version

    @property
    def handled_types(self) -> frozenset[str]:
        return self.snapshot_types | self.status_types


def offer_row(offer: events.OfferSnapshot) -> dict[str, Any]:
    return {
        "id": uuid.UUID(offer.offer_id), "status": offer.status, "version": offer.version,
        "owner_org_id": uuid.UUID(offer.owner_org_id), "kind": offer.kind,
        "title": offer.title, "summary": offer.summary, "description": offer.description,
        "industry": offer.industry, "keywords": list(offer.keywords), "trl": offer.trl,
        "modes": list(offer.modes), "asking_price_fen": offer.asking_price_fen,
        "region": offer.region, "valid_until": offer.valid_until,
        "published_at": offer.published_at,
    }


def need_row(need: events.NeedSnapshot) -> dict[str, Any]:
    return {
        "id": uuid.UUID(need.need_id), "status": need.status, "version": need.version,
        "buyer_org_id": uuid.UUID(need.buyer_org_id), "title": need.title,
        "description": need.description, "industry": need.industry,
        "keywords": list(need.keywords), "min_trl": need.min_trl,
        "budget_min_fen": need.budget_min_fen, "budget_max_fen": need.budget_max_fen,
        "cross_region_ok": need.cross_region_ok, "modes": list(need.modes),
        "region": need.region, "deadline": need.deadline, "published_at": need.published_at,
    }


def _offer_status(change: events.OfferStatusChanged) -> dict[str, Any]:
    return {"id": uuid.UUID(change.offer_id), "status": change.status,
            "version": change.version}


def _need_status(change: events.NeedStatusChanged) -> dict[str, Any]:
    return {"id": uuid.UUID(change.need_id), "status": change.status, "version": change.version}


def _types(*classes: type[events.ListingsEvent]) -> frozenset[str]:
    return frozenset(c.event_type for c in classes)


OFFER_EVENTS = ListingEvents(
    kind=OFFER,
    snapshot_types=_types(events.OfferPublished, events.OfferUpdated),
    status_types=_types(events.OfferWithdrawn, events.OfferExpired, events.OfferInDeal,
                        events.OfferTransacted),
    published_type=events.OfferPublished.event_type,
    snapshot_row=lambda data: offer_row(events.OfferSnapshot.model_validate(data)),
    status_row=lambda data: _offer_status(events.OfferStatusChanged.model_validate(data)),
)
NEED_EVENTS = ListingEvents(
    kind=NEED,
    snapshot_types=_types(events.NeedPublished, events.NeedUpdated),
    status_types=_types(events.NeedWithdrawn, events.NeedExpired, events.NeedInDeal,
                        events.NeedFulfilled),
    published_type=events.NeedPublished.event_type,
    snapshot_row=lambda data: need_row(events.NeedSnapshot.model_validate(data)),
    status_row=lambda data: _need_status(events.NeedStatusChanged.model_validate(data)),
)
_EVENTS = {OFFER.name: OFFER_EVENTS, NEED.name: NEED_EVENTS}
_BY_TYPE = {event_type: e.kind for e in _EVENTS.values() for event_type in e.handled_types}
# Every event type the feed follows.
HANDLED_TYPES = frozenset(_BY_TYPE)


def events_of(kind: ListingKind) -> ListingEvents:
    return _EVENTS[kind.name]


def kind_of(event_type: str) -> ListingKind | None:
    """The kind of listing an event is about; None for events matching does not follow."""
    return _BY_TYPE.get(event_type)
