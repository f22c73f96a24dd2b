"""Transactional outbox: events are rows written in the use case's own transaction.

`record` writes an event with a statement of its own. A use case whose last write is one
statement may carry its event in a CTE of that statement instead (`cte` + `values`): a
round trip less, and the event still commits or rolls back with the rest. Both write the
same row, so the relay cannot tell them apart.
"""

from __future__ import annotations

from typing import Any

from shared.db import Db
from shared.events.catalogue import IntegrationEvent
from shared.events.envelope import CloudEvent, new_envelope

PARAMETERS = 5
_COLUMNS = "outbox (event_id, topic, key, type, envelope)"

# Every write of the market runs it: a prepared statement, the envelope serialised once
# by pydantic (the relay publishes the stored text as it is).
_RECORD = f"INSERT INTO {_COLUMNS} VALUES ($1, $2, $3, $4, $5::text::jsonb)"


async def record(
    db: Db, event: IntegrationEvent, *, causation_id: str | None = None
) -> CloudEvent:
    """Add an integration event to the outbox; it is published only if the caller commits.
    Only inside a transaction: an event must commit together with its change."""
    envelope = new_envelope(event, causation_id=causation_id)
    db.require_transaction("recording an event")
    await db.execute(_RECORD, *_row(event, envelope))
    return envelope


def cte(first: int, only_after: str) -> str:
    """`event AS (INSERT INTO outbox …)` taking parameters $first … $first+4 (`values`),
    written only if `only_after`, the name of another CTE of the statement, returns a row:
    a statement may commit on its own whatever it finds, and must not leave an event of a
    change it did not make. (PostgreSQL runs a data-modifying CTE to completion even when
    nothing reads it.)"""
    p = [f"${i}" for i in range(first, first + PARAMETERS)]
    return (f"event AS (INSERT INTO {_COLUMNS} SELECT {p[0]}::uuid, {p[1]}::text, "
            f"{p[2]}::text, {p[3]}::text, {p[4]}::text::jsonb FROM {only_after} LIMIT 1)")


def values(event: IntegrationEvent) -> list[Any]:
    """The parameters of `cte`, in order."""
    return _row(event, new_envelope(event))


def _row(event: IntegrationEvent, envelope: CloudEvent) -> list[Any]:
    return [envelope.id, event.topic, envelope.subject, envelope.type,
            envelope.model_dump_json()]
