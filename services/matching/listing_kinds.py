"""Offers and needs side by side: their events, read-model rows, engine documents, cards.

Everything that differs between the two kinds of listing is here, so the read model, the
index and the use cases are written once for both.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table

from services.matching.domain import Match, MatchingEngine, NeedDoc, OfferDoc
from services.matching.models import Need, Offer
from shared.events import listings as events

Row = Mapping[str, Any]
PUBLISHED = "published"


@dataclass(frozen=True)
class ListingKind:
    name: str  # offer | need
    table: Table
    snapshot_types: frozenset[str]  # events carrying the whole listing
    status_types: frozenset[str]  # events carrying only a new status
    published_type: str
    snapshot_row: Callable[[Any], dict[str, Any]]  # event data → read-model row
    status_row: Callable[[Any], dict[str, Any]]  # event data → id, status, version
    doc: Callable[[Row], Any]  # read-model row → OfferDoc | NeedDoc
    card: Callable[[Any], dict[str, Any]]  # document → what a match shows of it
    put: Callable[[MatchingEngine, Any], None]
    remove: Callable[[MatchingEngine, str], bool]
    # Ranks the OTHER kind for a listing of this kind (offer → needs, need → offers).
    rank_other: Callable[..., list[Match]]

    @property
    def handled_types(self) -> frozenset[str]:
        return self.snapshot_types | self.status_types


def is_ranked(row: Row) -> bool:
    """Only published listings whose content is known are in the index."""
    return row["status"] == PUBLISHED and row["title"] is not None


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


def _types(*classes: type[events.ListingsEvent]) -> frozenset[str]:
    return frozenset(c.event_type for c in classes)


OFFER = ListingKind(
    name="offer", table=cast(Table, Offer.__table__),
    snapshot_types=_types(events.OfferPublished, events.OfferUpdated),
    status_types=_types(events.OfferWithdrawn, events.OfferExpired, events.OfferInDeal,
                        events.OfferTransacted),
    published_type=events.OfferPublished.event_type,
    snapshot_row=lambda data: offer_row(events.OfferSnapshot.model_validate(data)),
    status_row=lambda data: _offer_status(events.OfferStatusChanged.model_validate(data)),
    doc=offer_doc, card=offer_card,
    put=MatchingEngine.put_offer, remove=MatchingEngine.remove_offer,
    rank_other=MatchingEngine.needs_for_offer,
)
NEED = ListingKind(
    name="need", table=cast(Table, Need.__table__),
    snapshot_types=_types(events.NeedPublished, events.NeedUpdated),
    status_types=_types(events.NeedWithdrawn, events.NeedExpired, events.NeedInDeal,
                        events.NeedFulfilled),
    published_type=events.NeedPublished.event_type,
    snapshot_row=lambda data: need_row(events.NeedSnapshot.model_validate(data)),
    status_row=lambda data: _need_status(events.NeedStatusChanged.model_validate(data)),
    doc=need_doc, card=need_card,
    put=MatchingEngine.put_need, remove=MatchingEngine.remove_need,
    rank_other=MatchingEngine.offers_for_need,
)
KINDS = (OFFER, NEED)
_BY_TYPE = {event_type: kind for kind in KINDS for event_type in kind.handled_types}


def kind_of(event_type: str) -> ListingKind | None:
    """The kind of listing an event is about; None for events matching does not follow."""
    return _BY_TYPE.get(event_type)
