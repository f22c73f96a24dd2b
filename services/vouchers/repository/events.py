"""Outbox rows written by the statement that moves the money.

`shared.outbox.record` writes an event with a statement of its own: one round trip. The
two writes every reservation and redemption make (the hold with its reservation, the
resolution with the reservation's new state) carry their event in a CTE of that same
statement instead: a round trip less per request, and the event still commits or rolls
back with the money. The row is the one `shared.outbox.record` writes (same table and
columns, envelope from `shared.events.envelope.new_envelope`), so the relay cannot tell
them apart. Other use cases keep calling `shared.outbox.record`.
"""

from __future__ import annotations

from typing import Any

from shared.events.catalogue import IntegrationEvent
from shared.events.envelope import new_envelope

OUTBOX_PARAMETERS = 5


def outbox_cte(first: int) -> str:
    """`event AS (INSERT INTO outbox ...)` taking parameters $first ... $first+4.

    PostgreSQL runs a data-modifying CTE to completion even when nothing reads it."""
    p = [f"${i}" for i in range(first, first + OUTBOX_PARAMETERS)]
    return (f"event AS (INSERT INTO outbox (event_id, topic, key, type, envelope) "
            f"VALUES ({p[0]}, {p[1]}, {p[2]}, {p[3]}, {p[4]}::text::jsonb))")


def outbox_values(event: IntegrationEvent) -> list[Any]:
    """The parameters of `outbox_cte`, in order (as shared.outbox.record binds them)."""
    envelope = new_envelope(event)
    return [envelope.id, event.topic, envelope.subject, envelope.type,
            envelope.model_dump_json()]
