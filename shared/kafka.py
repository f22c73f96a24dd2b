"""Kafka clients tuned for the market (and for the embedded Tansu broker).

Tansu rejects idempotent producers and has no transactions, so producers run with
`enable_idempotence=False` and delivery is at-least-once; consumers deduplicate (inbox).
"""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaError, TopicAlreadyExistsError

from shared.backoff import Backoff
from shared.settings import SERVICES

log = logging.getLogger(__name__)


def market_topics() -> list[str]:
    topics = [f"{s}.events" for s in SERVICES]
    return topics + [f"{t}.dlq" for t in topics]


def make_producer(bootstrap: str) -> AIOKafkaProducer:
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap,
        enable_idempotence=False,
        acks="all",
        linger_ms=1,
        request_timeout_ms=15000,
        client_id="techmarket",
    )


def make_consumer(bootstrap: str, group_id: str, *topics: str,
                  fetch_max_wait_ms: int = 10) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap,
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


async def ensure_topics(bootstrap: str, topics: list[str], partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
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


async def partition_counts(bootstrap: str, topics: list[str]) -> dict[str, int]:
    """How many partitions each of `topics` has (0 for a topic that does not exist)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
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
