"""Inbox + consumer loop: at-least-once delivery, exactly-once effects.

For each record: in ONE transaction insert `(consumer, event_id)` into the inbox
(`ON CONFLICT DO NOTHING`) and run the handler; a duplicate is skipped. The Kafka offset is
committed only after the database commit. A handler that keeps failing is retried a bounded
number of times, then the record goes to `<topic>.dlq` with the error and the partition moves
on. An unreachable database is not the event's fault: that is retried without bound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import orjson
from aiokafka import (
    AIOKafkaConsumer,
    AIOKafkaProducer,
    ConsumerRebalanceListener,
    TopicPartition,
)
from aiokafka.errors import CommitFailedError, KafkaError
from aiokafka.structs import ConsumerRecord
from pydantic import ValidationError

from shared.backoff import Backoff
from shared.context import correlation_id
from shared.db import Database, Db, is_disconnect
from shared.events.catalogue import forgery
from shared.events.envelope import CloudEvent
from shared.failpoints import failpoint
from shared.kafka import Broker, make_consumer, start_with_retry
from shared.metrics import EVENTS_CONSUMED, EVENTS_DEAD_LETTERED, EVENTS_DUPLICATE
from shared.tables import inbox

log = logging.getLogger(__name__)

Handler = Callable[[Db, CloudEvent], Awaitable[None]]

# Every consumed event runs it, in the transaction of the handler.
_CLAIM = f"""INSERT INTO {inbox.name} (consumer, event_id, type) VALUES ($1, $2, $3)
    ON CONFLICT DO NOTHING RETURNING true"""


class PoisonEvent(Exception):
    """A record that can never be handled (unparseable, schema-invalid)."""


def is_infrastructure_error(exc: BaseException) -> bool:
    """The database, not the event, failed: retry without counting toward the dead letter."""
    return is_disconnect(exc)


class _CommitOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, loop: EventConsumer) -> None:
        self.loop = loop

    async def on_partitions_revoked(self, revoked: Any) -> None:
        await self.loop.commit_processed()

    async def on_partitions_assigned(self, assigned: Any) -> None:
        return None


class EventConsumer:
    def __init__(
        self,
        name: str,
        topics: list[str],
        handlers: dict[str, Handler],
        database: Database,
        producer: AIOKafkaProducer,
        broker: Broker | str,
        *,
        max_attempts: int = 5,
        retry_base_seconds: float = 0.05,
        fetch_max_wait_ms: int = 10,
    ) -> None:
        self.name = name
        self.topics = topics
        self.handlers = handlers
        self.database = database
        self.producer = producer
        self.broker = broker
        self.max_attempts = max_attempts
        self.retry_base_seconds = retry_base_seconds
        self.fetch_max_wait_ms = fetch_max_wait_ms
        self._processed: dict[TopicPartition, int] = {}
        self._consumer = self._new_client()

    async def run(self) -> None:
        # A fresh client per run: the supervisor calls run() again after a crash.
        self._processed = {}
        self._consumer = self._new_client()
        self._consumer.subscribe(self.topics, listener=_CommitOnRevoke(self))
        await start_with_retry(self._consumer)
        try:
            while True:
                batches = await self._consumer.getmany(timeout_ms=500, max_records=500)
                await self.handle(batches)
                await self.commit_processed()
        finally:
            await self._consumer.stop()

    def _new_client(self) -> AIOKafkaConsumer:
        return make_consumer(self.broker, self.name, fetch_max_wait_ms=self.fetch_max_wait_ms)

    async def handle(
        self, batches: dict[TopicPartition, list[ConsumerRecord]]  # type: ignore[type-arg]
    ) -> None:
        """Handle one poll's records, in order per partition, marking each processed.

        A subclass may override this to handle a poll's records together (e.g. one
        transaction per poll); it must still mark in `_processed` only what it committed.
        """
        for tp, records in batches.items():
            for record in records:
                await self.process(record)
                self._processed[tp] = record.offset + 1

    async def commit_processed(self) -> None:
        if not self._processed:
            return
        offsets, self._processed = self._processed, {}
        try:
            await self._consumer.commit(offsets)
        except (CommitFailedError, KafkaError) as exc:
            # The group moved on (rebalance, broker restart): whoever owns the partitions
            # now re-reads from the last committed offset and the inbox skips what we did.
            log.warning("%s: offset commit failed (%r); records will be redelivered",
                        self.name, exc)

    async def process(self, record: ConsumerRecord) -> None:  # type: ignore[type-arg]
        try:
            event = parse(record.value, record.topic)
        except PoisonEvent as exc:
            await self.dead_letter(record, exc)
            return
        handler = self.handlers.get(event.type)
        if handler is None:
            return
        correlation_id.set(event.correlationid or str(event.id))
        await self._handle_with_retries(record, event, handler)

    async def _handle_with_retries(
        self, record: ConsumerRecord, event: CloudEvent, handler: Handler  # type: ignore[type-arg]
    ) -> None:
        failures = 0  # the event's own: an unreachable database does not count
        unreachable = Backoff(first=0.5, cap=5.0)
        failing = Backoff(first=self.retry_base_seconds, cap=5.0)
        while True:
            try:
                await self.apply(event, handler)
                EVENTS_CONSUMED.labels(self.name, event.type).inc()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if is_infrastructure_error(exc):
                    log.warning("%s: database unavailable (%s); retrying", self.name, exc)
                    await unreachable.wait()
                    continue
                failures += 1
                if failures >= self.max_attempts:
                    await self.dead_letter(record, exc)
                    return
                log.warning("%s: handler for %s failed (attempt %d): %r",
                            self.name, event.type, failures, exc)
                await failing.wait()

    async def apply(self, event: CloudEvent, handler: Handler) -> bool:
        """Handle one event exactly once in effect; False when it was a duplicate."""
        async with self.database.unit() as db:
            if not await claim(db, self.name, event):
                EVENTS_DUPLICATE.labels(self.name).inc()
                return False
            await handler(db, event)
        failpoint("consumer.after_db_commit")
        return True

    async def dead_letter(self, record: ConsumerRecord, exc: BaseException) -> None:  # type: ignore[type-arg]
        """Parks `record` on `<topic>.dlq`. An unreachable broker is waited out, not
        counted: the record is marked processed only once its dead letter is written."""
        log.error("%s: dead-lettering %s[%d]@%d: %r",
                  self.name, record.topic, record.partition, record.offset, exc)
        headers = list(record.headers or []) + [
            ("dlq-error", repr(exc)[:2000].encode()),
            ("dlq-consumer", self.name.encode()),
            ("dlq-source", f"{record.topic}/{record.partition}/{record.offset}".encode()),
        ]
        unreachable = Backoff(first=0.5, cap=5.0)
        while True:
            try:
                await self.producer.send_and_wait(
                    f"{record.topic}.dlq", value=record.value, key=record.key, headers=headers)
                break
            except KafkaError as failure:
                log.warning("%s: cannot write the dead letter (%r); retrying",
                            self.name, failure)
                await unreachable.wait()
        EVENTS_DEAD_LETTERED.labels(self.name, record.topic).inc()


async def claim(db: Db, consumer: str, event: CloudEvent) -> bool:
    """Records that `consumer` handles `event` in `db`'s unit; False if it already did."""
    return bool(await db.fetchval(_CLAIM, consumer, event.id, event.type))


_CLAIM_ALL = f"""INSERT INTO {inbox.name} (consumer, event_id, type)
    SELECT $1, event_id, type FROM unnest($2::uuid[], $3::text[]) AS e (event_id, type)
    ON CONFLICT DO NOTHING RETURNING event_id"""


async def claim_all(db: Db, consumer: str, events: Sequence[CloudEvent]) -> list[CloudEvent]:
    """`claim` for a whole poll in one statement (a consumer that handles a poll in one
    unit): the events not handled before, in their order."""
    unique = list({event.id: event for event in events}.values())
    if not unique:
        return []
    rows = await db.fetch(_CLAIM_ALL, consumer, [e.id for e in unique],
                          [e.type for e in unique])
    fresh = {row[0] for row in rows}
    return [event for event in unique if event.id in fresh]


def parse(raw: bytes | None, topic: str) -> CloudEvent:
    """The CloudEvent of a record read from `topic`; PoisonEvent when it is none, or when
    its source and type do not belong on that topic (a forgery)."""
    if raw is None:
        raise PoisonEvent("empty record")
    try:
        event = CloudEvent.model_validate(orjson.loads(raw))
    except (orjson.JSONDecodeError, ValidationError) as exc:
        raise PoisonEvent(f"not a CloudEvent: {exc}") from exc
    refusal = forgery(topic, event.source, event.type)
    if refusal is not None:
        raise PoisonEvent(f"untrusted event: {refusal}")
    return event
