"""Event handlers of the vouchers service (run by the consumer loop in the inbox transaction).

listings.events keeps the organisations replica (who is a small firm of which region);
deals.events keeps the deals replica (contract type, amounts, status) and ends the
reservations of terminated deals.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers import repository
from services.vouchers.service import replica
from shared.events import deals
from shared.events.envelope import CloudEvent
from shared.events.listings import OrganizationRegistered
from shared.inbox import Handler


async def on_organization_registered(session: AsyncSession, event: CloudEvent) -> None:
    org = OrganizationRegistered.model_validate(event.data)
    await repository.upsert_organization(session, org)


async def on_deal_signed(session: AsyncSession, event: CloudEvent) -> None:
    await replica.deal_signed(session, deals.DealSigned.model_validate(event.data))


async def on_deal_in_expert_review(session: AsyncSession, event: CloudEvent) -> None:
    await replica.deal_in_expert_review(
        session, deals.DealInExpertReview.model_validate(event.data))


async def on_deal_registration_rejected(session: AsyncSession, event: CloudEvent) -> None:
    await replica.deal_registration_rejected(
        session, deals.DealRegistrationRejected.model_validate(event.data))


async def on_deal_registered(session: AsyncSession, event: CloudEvent) -> None:
    await replica.deal_registered(session, deals.DealRegistered.model_validate(event.data))


async def on_deal_completed(session: AsyncSession, event: CloudEvent) -> None:
    await replica.deal_completed(session, deals.DealCompleted.model_validate(event.data))


async def on_deal_terminated(session: AsyncSession, event: CloudEvent) -> None:
    await replica.deal_terminated(session, deals.DealTerminated.model_validate(event.data))


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
