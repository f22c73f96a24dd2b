"""Offers and needs follow one lifecycle; what differs between them is described here once:
their table, owner, validity date, validation rules, events and HTTP shape."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.listings.domain import problems, rules
from services.listings.domain.lifecycle import ListingKind
from services.listings.domain.text_search import document_terms
from services.listings.repository.listings import NEEDS, OFFERS, ListingTable
from services.listings.schemas import NeedOut, OfferOut
from services.listings.schemas.listings import ListingOut
from shared.events import listings as ev
from shared.events.catalogue import IntegrationEvent

Row = dict[str, Any]
Snapshot = type[ev.OfferSnapshot] | type[ev.NeedSnapshot]
StatusChange = type[ev.OfferStatusChanged] | type[ev.NeedStatusChanged]


@dataclass(frozen=True)
class ListingEvents:
    published: Snapshot
    updated: Snapshot
    withdrawn: StatusChange
    expired: StatusChange
    in_deal: StatusChange
    done: StatusChange


@dataclass(frozen=True)
class ListingType:
    kind: ListingKind
    table: ListingTable  # its columns and statements
    owner_field: str  # the organisation the listing belongs to
    until_field: str  # the date after which it expires
    acting_roles: tuple[str, ...]  # who may write it (for the owner organisation)
    validate: Callable[[Mapping[str, Any], date], list[problems.FieldError]]
    searchable: tuple[str, ...]  # the texts `?q=` looks in
    events: ListingEvents
    out: type[ListingOut]

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def columns(self) -> tuple[str, ...]:
        """The stored columns of a listing (the text index aside)."""
        return self.table.columns

    def search_terms(self, row: Mapping[str, Any]) -> list[str]:
        texts = [row.get(field) or "" for field in self.searchable]
        keywords = " ".join(row.get("keywords") or ())
        return document_terms(keywords, *texts)

    def snapshot(self, row: Row, event: Snapshot) -> IntegrationEvent:
        """The full state of the listing as a published/updated event."""
        fields = {k: v for k, v in row.items() if k in event.model_fields}
        ids = {f"{self.name}_id": str(row["id"]), self.owner_field: str(row[self.owner_field])}
        return event(**{**fields, **ids})

    def status_change(self, row: Row, event: StatusChange) -> IntegrationEvent:
        deal_id = str(row["deal_id"]) if row.get("deal_id") else None
        return event(**{f"{self.name}_id": str(row["id"])}, status=row["status"],
                     version=row["version"], deal_id=deal_id, changed_at=row["updated_at"])


OFFER = ListingType(
    kind=ListingKind.OFFER,
    table=OFFERS,
    owner_field="owner_org_id",
    until_field="valid_until",
    acting_roles=("broker",),
    validate=rules.validate_offer,
    searchable=("title", "summary", "description"),
    events=ListingEvents(ev.OfferPublished, ev.OfferUpdated, ev.OfferWithdrawn, ev.OfferExpired,
                         ev.OfferInDeal, ev.OfferTransacted),
    out=OfferOut,
)

NEED = ListingType(
    kind=ListingKind.NEED,
    table=NEEDS,
    owner_field="buyer_org_id",
    until_field="deadline",
    acting_roles=("broker", "enterprise"),
    validate=rules.validate_need,
    searchable=("title", "description"),
    events=ListingEvents(ev.NeedPublished, ev.NeedUpdated, ev.NeedWithdrawn, ev.NeedExpired,
                         ev.NeedInDeal, ev.NeedFulfilled),
    out=NeedOut,
)

LISTING_TYPES: Sequence[ListingType] = (OFFER, NEED)
