"""Handlers of `deals.events`: deals move offers and needs through in_deal."""

from __future__ import annotations

from services.listings.domain.lifecycle import ListingAction
from services.listings.use_cases.deal_outcomes import apply_deal_outcome
from shared.db import Db
from shared.events.deals import DealCompleted, DealOpened, DealParties, DealTerminated
from shared.events.envelope import CloudEvent
from shared.inbox import Handler


def _on(event_class: type[DealParties], action: ListingAction) -> Handler:
    async def handle(db: Db, event: CloudEvent) -> None:
        deal = event_class.model_validate(event.data)
        await apply_deal_outcome(db, action, deal.deal_id, deal.offer_id, deal.need_id,
                                 causation_id=str(event.id))

    handle.__name__ = f"on_{event_class.event_type.replace('.', '_')}"
    return handle


DEALS_HANDLERS: dict[str, Handler] = {
    DealOpened.event_type: _on(DealOpened, ListingAction.OPEN_DEAL),
    DealTerminated.event_type: _on(DealTerminated, ListingAction.TERMINATE_DEAL),
    DealCompleted.event_type: _on(DealCompleted, ListingAction.COMPLETE_DEAL),
}
