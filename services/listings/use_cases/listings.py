"""Use cases of offers and needs over HTTP: post a draft, publish, withdraw, change, read.

Each runs in the caller's unit of work (a `Db`); the HTTP boundary commits. Checks
come in the order a caller can act on: body rules (422), the owner exists (422), the
caller acts for the owner (403), then version (412) and state (409).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from services.listings.domain.lifecycle import (
    ListingAction,
    ListingStatus,
    TransitionNotAllowed,
    is_editable,
    is_expired,
)
from services.listings.domain.rules import normalise_ip_items
from services.listings.domain.text_search import parse_query, to_tsquery
from services.listings.repository import listings as repository
from services.listings.repository.listings import ListingQuery
from services.listings.schemas.listings import ListingOut
from services.listings.use_cases.acting import ensure_acts_for
from services.listings.use_cases.common import (
    beijing_today,
    now,
    refuse,
    region_short_code,
)
from services.listings.use_cases.listing_types import ListingType, Row
from services.listings.use_cases.transitions import move
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import FieldError, InvalidState, NotFound, Unprocessable
from shared.pagination import Page, page_of
from shared.versioning import check_version


async def post_listing(db: Db, who: Principal, lt: ListingType,
                       body: BaseModel) -> ListingOut:
    draft = body.model_dump()
    refuse(f"invalid {lt.name}", lt.validate(draft, beijing_today()))
    owner_id: uuid.UUID = draft[lt.owner_field]
    region = await ensure_acts_for(db, who, owner_id, lt.acting_roles,
                                   field=lt.owner_field)
    row = new_listing_row(lt, draft, region=region, created_by=who.sub, moment=now())
    await repository.insert_listing(db, lt.table, row, lt.search_terms(row))
    return lt.out(**row)


def new_listing_row(lt: ListingType, draft: Row, *, region: str, created_by: str,
                    moment: datetime) -> Row:
    """The stored row of a new draft listing (also what bulk loaders write)."""
    return {**_content(lt, draft), "id": uuid.uuid4(), lt.owner_field: draft[lt.owner_field],
            "region": region, "status": ListingStatus.DRAFT.value, "deal_id": None,
            "created_by": created_by, "version": 1, "created_at": moment,
            "updated_at": moment, "published_at": None}


async def act_on_listing(db: Db, who: Principal, lt: ListingType,
                         listing_id: uuid.UUID, action: ListingAction) -> ListingOut:
    """publish or withdraw."""
    row = await _owned_row(db, who, lt, listing_id)
    if action is ListingAction.PUBLISH and row["status"] == ListingStatus.DRAFT:
        _ensure_not_lapsed(lt, row)
    try:
        moved = await move(db, lt, row, action, now())
    except TransitionNotAllowed as refused:
        raise InvalidState(
            f"the {lt.name} is {refused.current}: cannot {action.value} it") from None
    return lt.out(**moved)


async def change_listing(db: Db, who: Principal, lt: ListingType,
                         listing_id: uuid.UUID, expected_version: int,
                         changes: dict[str, Any]) -> ListingOut:
    row = await _owned_row(db, who, lt, listing_id)
    check_version(row["version"], expected_version)
    if not is_editable(row["status"]):
        raise InvalidState(f"the {lt.name} is {row['status']}: only draft and published "
                           "listings can be changed")
    if not changes:
        return lt.out(**row)
    draft = {**row, **changes}
    refuse(f"invalid {lt.name}", lt.validate(draft, beijing_today()))
    values: Row = {**_content(lt, draft), "version": row["version"] + 1, "updated_at": now()}
    changed = {**row, **values}
    await repository.update_listing(db, lt.table, listing_id, values,
                                    lt.search_terms(changed))
    if changed["status"] == ListingStatus.PUBLISHED:
        # A published listing stays on the market; consumers get its whole new state.
        await outbox.record(db, lt.snapshot(changed, lt.events.updated))
    return lt.out(**changed)


async def get_listing(db: Db, lt: ListingType,
                      listing_id: uuid.UUID) -> ListingOut:
    row = await repository.listing_by_id(db, lt.table, listing_id)
    if row is None:
        raise NotFound(f"{lt.name} {listing_id} not found")
    return lt.out(**row)


async def list_listings(db: Db, lt: ListingType, page: Page, *,
                        industry: str | None, region: str | None, status: str | None,
                        q: str | None, owner_org_id: uuid.UUID | None) -> dict[str, Any]:
    query = ListingQuery(
        industry=industry, status=status, owner_org_id=owner_org_id,
        region=await region_short_code(db, region, "region") if region else None,
        tsquery=_text_filter(q))
    rows = await repository.listings(db, lt.table, query, page)
    return page_of([lt.out(**row) for row in rows], page.limit,
                   lambda item: (item.created_at, item.id))


def _text_filter(q: str | None) -> str | None:
    if q is None or not q.strip():
        return None
    expression = parse_query(q)
    if expression is None:
        raise Unprocessable("nothing to search for in q", [FieldError(
            "q", "give at least one letter, digit or ideograph", "empty_query")])
    return to_tsquery(expression)


async def _owned_row(db: Db, who: Principal, lt: ListingType,
                     listing_id: uuid.UUID) -> Row:
    row = await repository.listing_by_id(db, lt.table, listing_id, for_update=True)
    if row is None:
        raise NotFound(f"{lt.name} {listing_id} not found")
    await ensure_acts_for(db, who, row[lt.owner_field], lt.acting_roles,
                          field=lt.owner_field)
    return row


def _ensure_not_lapsed(lt: ListingType, row: Row) -> None:
    if is_expired(row[lt.until_field], now()):
        raise Unprocessable(f"the {lt.name}'s {lt.until_field} has passed", [FieldError(
            lt.until_field, "has passed: change it (PATCH) before publishing", "lapsed")])


def _content(lt: ListingType, draft: Row) -> Row:
    """The stored form of a validated draft: only the table's columns, IP numbers in
    canonical form."""
    content = {k: v for k, v in draft.items()
               if k in lt.table.column_set and k not in _MANAGED and k != lt.owner_field}
    if "ip" in content:
        content["ip"] = normalise_ip_items(content["ip"] or [])
    return content


# Columns the lifecycle manages; a body can never set them.
_MANAGED = frozenset({"id", "region", "status", "deal_id", "search_terms", "created_by",
                      "version", "created_at", "updated_at", "published_at"})
