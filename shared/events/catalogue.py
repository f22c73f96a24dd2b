"""The typed, versioned event catalogue.

Every integration event is a pydantic model subclassing `IntegrationEvent`, declaring its
`event_type`, `version`, producing `source` and `topic`, and which field is the aggregate id
(the Kafka key and the CloudEvents `subject`). Changes are additive; a breaking change is a
new class with `schema_version = 2` next to the old one.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

CATALOGUE: dict[tuple[str, int], type[IntegrationEvent]] = {}
SCHEMA_PREFIX = "urn:techmarket:events"


class IntegrationEvent(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1
    source: ClassVar[str]
    topic: ClassVar[str]
    aggregate_field: ClassVar[str]
    about: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "event_type" in cls.__dict__:
            key = (cls.event_type, cls.schema_version)
            if key in CATALOGUE and CATALOGUE[key] is not cls:
                raise TypeError(f"event {key} catalogued twice")
            CATALOGUE[key] = cls

    @classmethod
    def dataschema(cls) -> str:
        return f"{SCHEMA_PREFIX}:{cls.event_type}:v{cls.schema_version}"

    def aggregate_id(self) -> str:
        return str(getattr(self, self.aggregate_field))


def lookup(event_type: str, version: int = 1) -> type[IntegrationEvent] | None:
    return CATALOGUE.get((event_type, version))


def version_of(dataschema: str | None) -> int:
    """The catalogue version named by an envelope's `dataschema` (v1 when absent)."""
    if dataschema and dataschema.rsplit(":", 1)[-1].startswith("v"):
        try:
            return int(dataschema.rsplit(":", 1)[-1][1:])
        except ValueError:
            return 1
    return 1


def forgery(topic: str, source: str, event_type: str) -> str | None:
    """Why an event cannot be trusted where it arrived, or None when it can.

    Each topic has one producing service and each catalogued type one producer: an event on
    a topic its `source` does not own, or of a type its source never publishes, was written
    by someone else (a consumer must never apply it)."""
    owners = {cls.topic: cls.source for cls in CATALOGUE.values()}
    if topic in owners and owners[topic] != source:
        return f"source {source!r} does not publish on {topic!r} (its owner is {owners[topic]!r})"
    publishers = {(cls.source, cls.topic) for cls in CATALOGUE.values()
                  if cls.event_type == event_type}
    if publishers and (source, topic) not in publishers:
        return f"{event_type!r} is not published by {source!r} on {topic!r}"
    return None
