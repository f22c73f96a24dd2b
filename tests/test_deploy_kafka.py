"""The compose file's Kafka: SASL for every client, an authorizer that denies by default,
and ACLs that match what each service publishes and consumes. No Docker engine runs here:
this reads the files, it does not start them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import yaml

from shared.events.catalogue import CATALOGUE
from shared.events.listings import TOPIC as LISTINGS_TOPIC
from shared.settings import SERVICES

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SETUP = (ROOT / "deploy" / "kafka" / "setup.sh").read_text()


def grants() -> dict[str, tuple[str, set[str]]]:
    """service -> (the topic it may write, the topics it may read), from setup.sh."""
    table = re.search(r'GRANTS="(.*?)"', SETUP, re.S)
    assert table is not None
    rows = [line.split("|") for line in table.group(1).splitlines()]
    return {service: (writes, set(reads.split(","))) for service, writes, reads, _ in rows}


def consumed(service: str) -> set[str]:
    if service == "matching":  # its feed (services/matching/handlers/feed.py)
        return {LISTINGS_TOPIC}
    spec = importlib.import_module(f"services.{service}.main").SPEC
    return {topic for consumer in spec.consumers for topic in consumer.topics}


def test_each_service_connects_by_scram_as_itself() -> None:
    for name in SERVICES:
        env = COMPOSE["services"][name]["environment"]
        assert env["KAFKA_SECURITY_PROTOCOL"] == "SASL_PLAINTEXT"
        assert env["KAFKA_SASL_MECHANISM"] == "SCRAM-SHA-512"
        assert env["KAFKA_SASL_USERNAME"] == name
        assert env["KAFKA_SASL_PASSWORD"] == f"${{KAFKA_PASSWORD_{name.upper()}}}"
        setup = COMPOSE["services"][name]["depends_on"]["kafka-setup"]
        assert setup["condition"] == "service_completed_successfully"


def test_the_broker_authenticates_every_listener_and_denies_by_default() -> None:
    kafka = COMPOSE["services"]["kafka"]["environment"]
    assert "PLAINTEXT:PLAINTEXT" not in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
    assert all(p.endswith(":SASL_PLAINTEXT")
               for p in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert kafka["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert kafka["KAFKA_SUPER_USERS"] == "User:admin"


def test_the_acls_match_what_each_service_publishes_and_consumes() -> None:
    publishes = {cls.source.strip("/"): cls.topic for cls in CATALOGUE.values()}
    table = grants()
    assert set(table) == set(SERVICES)
    for service, (writes, reads) in table.items():
        assert writes == publishes[service], service
        assert reads == consumed(service), service
    setup = COMPOSE["services"]["kafka-setup"]
    assert "./deploy/kafka/setup.sh:/setup/setup.sh:ro" in setup["volumes"]
    assert {f"KAFKA_PASSWORD_{s.upper()}" for s in SERVICES} <= set(setup["environment"])
