"""Loading a deal to change it, and moving it through its lifecycle (domain.next_status)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from services.deals import repository
from services.deals.domain import DealAction, DealStatus, TransitionNotAllowed, next_status
from services.deals.repository import DealToChange
from services.deals.repository.records import DealRecord
from shared.china_time import china_date
from shared.db import Db
from shared.errors import InvalidState, NotFound


def now() -> datetime:
    return datetime.now(UTC)


def registration_day(at: datetime) -> date:
    """Registration days are Beijing days: a contract registered at 2026-12-31T20:00Z is
    registered on 2027-01-01 and numbered in 2027."""
    return china_date(at)


async def deal_to_change(db: Db, deal_id: uuid.UUID,
                         broker_id: uuid.UUID | None) -> DealToChange:
    """The deal, locked, with the acting broker's replicated profile (one statement)."""
    found = await repository.deal_for_update(db, deal_id, broker_id)
    if found is None:
        raise NotFound(f"deal {deal_id} not found")
    return found


def check_allowed(deal: DealRecord, action: DealAction) -> DealStatus:
    """The status `action` leads to; 409 naming the current state when it is not allowed."""
    try:
        return next_status(DealStatus(deal.status), action)
    except TransitionNotAllowed as refused:
        raise InvalidState(f"the deal is {deal.status}: it cannot {action.replace('_', ' ')}"
                           ) from refused


def move(deal: DealRecord, action: DealAction, at: datetime) -> str:
    """Apply a transition; returns the status the deal had before."""
    previous = deal.status
    deal.status = check_allowed(deal, action)
    deal.version += 1
    deal.updated_at = at
    return previous
