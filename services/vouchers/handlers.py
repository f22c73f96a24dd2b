"""Event handlers of the vouchers service (run by the consumer loop in the inbox transaction)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers import repository
from shared.events.envelope import CloudEvent
from shared.events.listings import OrganizationRegistered
from shared.inbox import Handler


async def on_organization_registered(session: AsyncSession, event: CloudEvent) -> None:
    org = OrganizationRegistered.model_validate(event.data)
    await repository.upsert_organization(session, org)


LISTINGS_HANDLERS: dict[str, Handler] = {
    OrganizationRegistered.event_type: on_organization_registered,
}
