"""Moving a listing through its lifecycle: the new row values and the event that says so.

Shared by the HTTP use cases (publish, withdraw), the expiry job and the deal-event
handlers, so every status change bumps the version and is announced the same way.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from services.listings.domain.lifecycle import ListingAction, ListingStatus, next_status
from services.listings.repository import listings as repository
from services.listings.use_cases.listing_types import ListingType, Row
from shared import outbox
from shared.db import Db
from shared.events.catalogue import IntegrationEvent


async def move(db: Db, lt: ListingType, row: Row, action: ListingAction,
               moment: datetime, *, deal_id: uuid.UUID | None = None,
               causation_id: str | None = None) -> Row:
    """Apply `action` to a locked row, store it and record its event; raises
    TransitionNotAllowed (nothing written) when the current status forbids it.
    `deal_id` is the deal a listing enters with OPEN_DEAL."""
    status = next_status(lt.name, row["status"], action)
    values: Row = {"status": status.value, "version": row["version"] + 1,
                   "updated_at": moment}
    if action is ListingAction.PUBLISH:
        values["published_at"] = moment
    if action is ListingAction.OPEN_DEAL:
        values["deal_id"] = deal_id
    if action is ListingAction.TERMINATE_DEAL:
        values["deal_id"] = None
    await repository.update_listing(db, lt.table, row["id"], values)
    moved = {**row, **values}
    await outbox.record(db, _event(lt, moved, action), causation_id=causation_id)
    return moved


def _event(lt: ListingType, row: Row, action: ListingAction) -> IntegrationEvent:
    if row["status"] == ListingStatus.PUBLISHED:
        # First publication, or back on the market after a terminated deal: either way
        # consumers (matching) need the whole listing again.
        return lt.snapshot(row, lt.events.published)
    by_action = {ListingAction.WITHDRAW: lt.events.withdrawn,
                 ListingAction.EXPIRE: lt.events.expired,
                 ListingAction.OPEN_DEAL: lt.events.in_deal,
                 ListingAction.COMPLETE_DEAL: lt.events.done}
    return lt.status_change(row, by_action[action])
