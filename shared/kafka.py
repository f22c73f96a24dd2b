"""Kafka clients tuned for the market (and for the embedded Tansu broker).

Tansu rejects idempotent producers and has no transactions, so producers run with
`enable_idempotence=False` and delivery is at-least-once; consumers deduplicate (inbox).

Every client (producer, consumer, admin) connects with `Broker.client_options()`: the
bootstrap servers and the credentials of the settings (TLS, SASL). A bare bootstrap string
stands for a broker without credentials (the embedded one, tests).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError
from aiokafka.helpers import create_ssl_context

from shared.backoff import Backoff
from shared.settings import SERVICES, MarketSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Broker:
    """Where the market's Kafka is and how its clients prove who they are."""

    bootstrap: str
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "SCRAM-SHA-512"
    sasl_username: str | None = None
    sasl_password: str | None = None
    ssl_cafile: Path | None = None
    ssl_certfile: Path | None = None
    ssl_keyfile: Path | None = None

    @classmethod
    def of(cls, settings: MarketSettings) -> Broker:
        password = settings.kafka_sasl_password
        return cls(bootstrap=settings.kafka_bootstrap_servers,
                   security_protocol=settings.kafka_security_protocol,
                   sasl_mechanism=settings.kafka_sasl_mechanism,
                   sasl_username=settings.kafka_sasl_username,
                   sasl_password=password.get_secret_value() if password else None,
                   ssl_cafile=settings.kafka_ssl_cafile,
                   ssl_certfile=settings.kafka_ssl_certfile,
                   ssl_keyfile=settings.kafka_ssl_keyfile)

    def client_options(self) -> dict[str, Any]:
        """The keyword arguments every aiokafka client of the market is built with."""
        options: dict[str, Any] = {"bootstrap_servers": self.bootstrap,
                                   "security_protocol": self.security_protocol}
        if self.security_protocol in ("SSL", "SASL_SSL"):
            options["ssl_context"] = create_ssl_context(
                cafile=_path(self.ssl_cafile), certfile=_path(self.ssl_certfile),
                keyfile=_path(self.ssl_keyfile))
        if self.security_protocol.startswith("SASL_"):
            if not (self.sasl_username and self.sasl_password):
                raise ValueError(f"KAFKA_SECURITY_PROTOCOL={self.security_protocol} needs "
                                 "KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
            options.update(sasl_mechanism=self.sasl_mechanism,
                           sasl_plain_username=self.sasl_username,
                           sasl_plain_password=self.sasl_password)
        return options


def client_options(broker: Broker | str) -> dict[str, Any]:
    return (broker if isinstance(broker, Broker) else Broker(broker)).client_options()


def _path(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def market_topics() -> list[str]:
    topics = [f"{s}.events" for s in SERVICES]
    return topics + [f"{t}.dlq" for t in topics]


def make_producer(broker: Broker | str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        **client_options(broker),
        enable_idempotence=False,
        acks="all",
        linger_ms=1,
        request_timeout_ms=15000,
        client_id="techmarket",
    )


def make_consumer(broker: Broker | str, group_id: str | None, *topics: str,
                  fetch_max_wait_ms: int = 10) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        **client_options(broker),
        group_id=group_id,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        # Tansu answers a fetch that finds nothing only when max wait elapses: short for
        # latency, but an idle consumer then costs CPU (its own and the broker's) per poll.
        fetch_max_wait_ms=fetch_max_wait_ms,
        max_poll_records=500,
        session_timeout_ms=10000,
        heartbeat_interval_ms=1000,
    )


def make_admin(broker: Broker | str) -> AIOKafkaAdminClient:
    return AIOKafkaAdminClient(**client_options(broker))


async def ensure_topics(broker: Broker | str, topics: list[str], partitions: int) -> None:
    admin = make_admin(broker)
    await start_with_retry(admin)
    try:
        existing = set(await admin.list_topics())
        wanted = [NewTopic(t, partitions, 1) for t in topics if t not in existing]
        if wanted:
            try:
                await admin.create_topics(wanted)
            except TopicAlreadyExistsError:
                pass
    finally:
        await admin.close()


async def partition_counts(broker: Broker | str, topics: list[str]) -> dict[str, int]:
    """How many partitions each of `topics` has (0 for a topic that does not exist)."""
    admin = make_admin(broker)
    await start_with_retry(admin)
    try:
        existing = set(await admin.list_topics())
        described = await admin.describe_topics([t for t in topics if t in existing])
    finally:
        await admin.close()
    counts = {t["topic"]: len(t["partitions"]) for t in described}
    return {t: counts.get(t, 0) for t in topics}


async def start_with_retry(client: object, attempts: int = 60) -> None:
    """Start a Kafka client, waiting for the broker to come up."""
    backoff = Backoff(first=0.2, cap=2.0)
    for attempt in range(attempts):
        try:
            await client.start()  # type: ignore[attr-defined]
            return
        except (KafkaError, OSError) as exc:
            if attempt == attempts - 1:
                raise
            log.info("kafka not reachable yet (%s), retrying", exc)
            await backoff.wait()
