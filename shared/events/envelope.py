"""CloudEvents 1.0 envelope, structured JSON mode (docs/events.md)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field

from shared.context import correlation_id
from shared.events.catalogue import IntegrationEvent

CONTENT_TYPE = "application/cloudevents+json"


class CloudEvent(BaseModel):
    model_config = ConfigDict(extra="allow")

    specversion: str = "1.0"
    id: uuid.UUID
    source: str
    type: str
    time: datetime
    subject: str
    datacontenttype: str = "application/json"
    dataschema: str | None = None
    correlationid: str | None = None
    causationid: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json"))

    @classmethod
    def from_bytes(cls, raw: bytes) -> CloudEvent:
        return cls.model_validate(orjson.loads(raw))


def new_envelope(event: IntegrationEvent, *, causation_id: str | None = None) -> CloudEvent:
    return CloudEvent(
        id=uuid.uuid4(),
        source=event.source,
        type=event.event_type,
        time=datetime.now(UTC),
        subject=event.aggregate_id(),
        dataschema=event.dataschema(),
        correlationid=correlation_id.get() or None,
        causationid=causation_id,
        data=event.model_dump(mode="json"),
    )
