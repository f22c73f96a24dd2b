"""Generate the AsyncAPI 3 document of the event catalogue.

`python -m shared.events.asyncapi > docs/asyncapi.yaml`; a test keeps the file current.
"""

from __future__ import annotations

import sys
from typing import Any

import yaml

from shared.events import CATALOGUE
from shared.events.catalogue import IntegrationEvent

ENVELOPE_FIELDS = {
    "specversion": {"type": "string", "const": "1.0"},
    "id": {"type": "string", "format": "uuid", "description": "unique; consumers' dedup key"},
    "source": {"type": "string"},
    "type": {"type": "string"},
    "time": {"type": "string", "format": "date-time"},
    "subject": {"type": "string", "description": "aggregate id, also the Kafka key"},
    "datacontenttype": {"type": "string", "const": "application/json"},
    "dataschema": {"type": "string"},
    "correlationid": {"type": ["string", "null"]},
    "causationid": {"type": ["string", "null"]},
}


def _name(event: type[IntegrationEvent]) -> str:
    return f"{event.__name__}V{event.schema_version}"


def _message(event: type[IntegrationEvent]) -> dict[str, Any]:
    return {
        "name": event.event_type,
        "title": event.__name__,
        "summary": event.about or (event.__doc__ or "").strip().split("\n")[0] or event.event_type,
        "contentType": "application/cloudevents+json",
        "payload": {
            "type": "object",
            "required": ["specversion", "id", "source", "type", "time", "subject", "data"],
            "properties": {**ENVELOPE_FIELDS,
                           "type": {"type": "string", "const": event.event_type},
                           "source": {"type": "string", "const": event.source},
                           "dataschema": {"type": "string", "const": event.dataschema()},
                           "data": {"$ref": f"#/components/schemas/{_name(event)}"}},
        },
    }


def _schema(event: type[IntegrationEvent]) -> dict[str, Any]:
    schema = event.model_json_schema(ref_template="#/components/schemas/{model}")
    schema.pop("$defs", None)
    return schema


def document() -> dict[str, Any]:
    events = sorted(CATALOGUE.values(), key=lambda e: (e.topic, e.event_type, e.schema_version))
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for event in events:
        channel = event.topic.replace(".", "_")
        entry = channels.setdefault(channel, {"address": event.topic, "messages": {},
                                              "description": f"Events of {event.source}; "
                                              "key = aggregate id (the envelope's subject)."})
        entry["messages"][_name(event)] = {"$ref": f"#/components/messages/{_name(event)}"}
        schemas[_name(event)] = _schema(event)
        for sub in event.model_json_schema().get("$defs", {}).items():
            schemas[sub[0]] = sub[1]
    for channel, entry in channels.items():
        operations[f"publish_{channel}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{channel}"},
            "messages": [{"$ref": f"#/channels/{channel}/messages/{m}"} for m in entry["messages"]],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Jingjinji Technology Market events", "version": "1.0.0",
                 "description": "CloudEvents 1.0 in structured JSON mode on Kafka. Changes are "
                 "additive; a breaking change is a new schema version (dataschema ...:vN)."},
        "defaultContentType": "application/cloudevents+json",
        "channels": channels,
        "operations": operations,
        "components": {"messages": {_name(e): _message(e) for e in events}, "schemas": schemas},
    }


def render() -> str:
    return yaml.safe_dump(document(), sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    sys.stdout.write(render())
