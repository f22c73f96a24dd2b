"""Event handlers of the vouchers service (run by the consumer loop in the inbox transaction).

listings.events keeps the organizations replica (who is a small firm of which region);
deals.events keeps the deals replica (contract type, amounts, status) and ends the
reservations of terminated deals.
"""

from __future__ import annotations

from services.vouchers import repository
from services.vouchers.use_cases import replica
from shared.db import Db
from shared.events import deals
from shared.events.envelope import CloudEvent
from shared.events.listings import OrganizationRegistered
from shared.inbox import Handler


async def on_organization_registered(db: Db, event: CloudEvent) -> None:
    org = OrganizationRegistered.model_validate(event.data)
    await repository.upsert_organization(db, org)


async def on_deal_signed(db: Db, event: CloudEvent) -> None:
    await replica.deal_signed(db, deals.DealSigned.model_validate(event.data))


async def on_deal_in_expert_review(db: Db, event: CloudEvent) -> None:
    await replica.deal_in_expert_review(
        db, deals.DealInExpertReview.model_validate(event.data))


async def on_deal_registration_rejected(db: Db, event: CloudEvent) -> None:
    await replica.deal_registration_rejected(
        db, deals.DealRegistrationRejected.model_validate(event.data))


async def on_deal_registered(db: Db, event: CloudEvent) -> None:
    await replica.deal_registered(db, deals.DealRegistered.model_validate(event.data))


async def on_deal_completed(db: Db, event: CloudEvent) -> None:
    await replica.deal_completed(db, deals.DealCompleted.model_validate(event.data))


async def on_deal_terminated(db: Db, event: CloudEvent) -> None:
    await replica.deal_terminated(db, deals.DealTerminated.model_validate(event.data))


LISTINGS_HANDLERS: dict[str, Handler] = {
    OrganizationRegistered.event_type: on_organization_registered,
}
DEALS_HANDLERS: dict[str, Handler] = {
    deals.DealSigned.event_type: on_deal_signed,
    deals.DealInExpertReview.event_type: on_deal_in_expert_review,
    deals.DealRegistrationRejected.event_type: on_deal_registration_rejected,
    deals.DealRegistered.event_type: on_deal_registered,
    deals.DealCompleted.event_type: on_deal_completed,
    deals.DealTerminated.event_type: on_deal_terminated,
}
