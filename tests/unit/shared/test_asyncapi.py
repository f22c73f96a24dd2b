"""docs/asyncapi.yaml is generated from the catalogue and must be current."""

from __future__ import annotations

from pathlib import Path

from shared.events import CATALOGUE
from shared.events.asyncapi import document, render

DOC = Path(__file__).resolve().parents[3] / "docs" / "asyncapi.yaml"


def test_checked_in_document_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "regenerate: .venv/bin/python -m shared.events.asyncapi > docs/asyncapi.yaml")


def test_every_catalogued_event_is_a_message_on_its_topic() -> None:
    doc = document()
    assert doc["asyncapi"].startswith("3.")
    for event in CATALOGUE.values():
        channel = doc["channels"][event.topic.replace(".", "_")]
        assert channel["address"] == event.topic
        assert f"{event.__name__}V{event.schema_version}" in channel["messages"]
