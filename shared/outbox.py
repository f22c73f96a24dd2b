"""Transactional outbox: events are rows written in the use case's own transaction."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from shared.db import driver
from shared.events.catalogue import IntegrationEvent
from shared.events.envelope import CloudEvent, new_envelope

# Every write of the market runs it: a prepared statement on the driver, the envelope
# serialised once by pydantic (the relay publishes the stored text as it is).
_RECORD = """INSERT INTO outbox (event_id, topic, key, type, envelope)
    VALUES ($1, $2, $3, $4, $5::text::jsonb)"""


async def record(
    session: AsyncSession, event: IntegrationEvent, *, causation_id: str | None = None
) -> CloudEvent:
    """Add an integration event to the outbox; it is published only if the caller commits."""
    envelope = new_envelope(event, causation_id=causation_id)
    await (await driver(session)).execute(
        _RECORD, envelope.id, event.topic, envelope.subject, envelope.type,
        envelope.model_dump_json())
    return envelope
