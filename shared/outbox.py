"""Transactional outbox: events are rows written in the use case's own transaction."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.events.catalogue import IntegrationEvent
from shared.events.envelope import CloudEvent, new_envelope
from shared.tables import outbox


async def record(
    session: AsyncSession, event: IntegrationEvent, *, causation_id: str | None = None
) -> CloudEvent:
    """Add an integration event to the outbox; it is published only if the caller commits."""
    envelope = new_envelope(event, causation_id=causation_id)
    await session.execute(
        insert(outbox).values(
            event_id=envelope.id,
            topic=event.topic,
            key=envelope.subject,
            type=envelope.type,
            envelope=envelope.model_dump(mode="json"),
        )
    )
    return envelope
