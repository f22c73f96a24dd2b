"""`techmarket dlq`: the dead letters of the market's consumers, listed and re-driven.

A consumer that gives up on a record writes it to `<topic>.dlq` with three headers:
`dlq-error`, `dlq-consumer` (its group) and `dlq-source` (`<topic>/<partition>/<offset>`).
`list` reads them without joining any consumer group. `redrive` re-publishes chosen ones
to their original topic with their key, so to their aggregate's partition. Every consumer
group of that topic then sees the event again: the one that failed applies it now, the
others skip it by their inbox (they handled its id before) or have no handler for its
type. An event is re-published once per re-drive however many times (or consumers) it was
dead-lettered; a record that could never be applied (not a CloudEvent, or untrusted on its
topic) is not re-published.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from aiokafka import TopicPartition

from shared.inbox import PoisonEvent, parse
from shared.kafka import (
    Broker,
    make_consumer,
    make_producer,
    market_topics,
    partition_counts,
    start_with_retry,
)

DLQ_SUFFIX = ".dlq"
# Headers the consumer adds when it dead-letters a record, and the one a re-drive adds.
DLQ_HEADERS = ("dlq-error", "dlq-consumer", "dlq-source", "dlq-redriven-from")
READ_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class DeadLetter:
    dlq_topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()

    @property
    def position(self) -> str:
        return f"{self.dlq_topic}/{self.partition}/{self.offset}"

    @property
    def topic(self) -> str:
        """The topic the record was dead-lettered from."""
        return self.dlq_topic.removesuffix(DLQ_SUFFIX)

    def header(self, name: str) -> str:
        found = [value for key, value in self.headers if key == name]
        return found[-1].decode(errors="replace") if found else ""

    @property
    def consumer(self) -> str:
        return self.header("dlq-consumer")

    def event_field(self, name: str) -> str:
        """A field of the record's CloudEvent as written, "" when it has none (unparseable)."""
        try:
            envelope = orjson.loads(self.value or b"")
        except orjson.JSONDecodeError:
            return ""
        value = envelope.get(name) if isinstance(envelope, dict) else None
        return str(value) if value is not None else ""

    def original_headers(self) -> list[tuple[str, bytes]]:
        return [(k, v) for k, v in self.headers if k not in DLQ_HEADERS]

    def describe(self) -> str:
        return (f"{self.position}  from {self.header('dlq-source') or self.topic}  "
                f"consumer={self.consumer or '?'}  "
                f"event={self.event_field('id') or '-'} {self.event_field('type') or '-'}\n"
                f"    error: {self.header('dlq-error')}")


@dataclass
class Redrive:
    """What a re-drive re-published, and what it would not (with why)."""

    republished: list[DeadLetter] = field(default_factory=list)
    refused: list[tuple[DeadLetter, str]] = field(default_factory=list)


def dlq_topic_of(topic: str) -> str:
    return topic if topic.endswith(DLQ_SUFFIX) else topic + DLQ_SUFFIX


def market_dlq_topics() -> list[str]:
    return [t for t in market_topics() if t.endswith(DLQ_SUFFIX)]


async def read_dead_letters(broker: Broker | str, topic: str) -> list[DeadLetter]:
    """Every record of `topic`'s dead-letter topic, oldest first per partition."""
    dlq = dlq_topic_of(topic)
    count = (await partition_counts(broker, [dlq]))[dlq]
    partitions = [TopicPartition(dlq, p) for p in range(count)]
    if not partitions:
        return []
    consumer = make_consumer(broker, None)  # no group: reads and commits nothing
    await start_with_retry(consumer, attempts=10)
    try:
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        return await _read_until(consumer, ends)
    finally:
        await consumer.stop()


async def _read_until(consumer: Any, ends: dict[TopicPartition, int]) -> list[DeadLetter]:
    letters: list[DeadLetter] = []
    deadline = time.monotonic() + READ_TIMEOUT_SECONDS
    pending = [tp for tp, end in ends.items() if end > 0]
    while pending:
        if time.monotonic() > deadline:
            raise TimeoutError(f"could not read {pending} to their end")
        batch = await consumer.getmany(*pending, timeout_ms=500)
        for records in batch.values():
            letters.extend(DeadLetter(r.topic, r.partition, r.offset, r.key, r.value,
                                      tuple(r.headers or ())) for r in records)
        pending = [tp for tp in pending if await consumer.position(tp) < ends[tp]]
    return letters


def chosen(letters: Iterable[DeadLetter], consumer: str | None,
           event_id: str | None) -> list[DeadLetter]:
    return [letter for letter in letters
            if (consumer is None or letter.consumer == consumer)
            and (event_id is None or letter.event_field("id") == event_id)]


async def redrive(broker: Broker | str, topic: str, *, consumer: str | None = None,
                  event_id: str | None = None) -> Redrive:
    """Re-publishes the dead letters of `topic` (those `consumer` gave up on, of event
    `event_id`, when given) to the topic they came from, each event once."""
    outcome, events = Redrive(), set()
    for letter in chosen(await read_dead_letters(broker, topic), consumer, event_id):
        try:
            event = parse(letter.value, letter.topic)
        except PoisonEvent as refusal:
            outcome.refused.append((letter, str(refusal)))
            continue
        if event.id not in events:
            events.add(event.id)
            outcome.republished.append(letter)
    if outcome.republished:
        await _publish(broker, outcome.republished)
    return outcome


async def _publish(broker: Broker | str, letters: list[DeadLetter]) -> None:
    producer = make_producer(broker)
    await start_with_retry(producer, attempts=10)
    try:
        sent = [await producer.send(letter.topic, value=letter.value, key=letter.key,
                                    headers=[*letter.original_headers(),
                                             ("dlq-redriven-from", letter.position.encode())])
                for letter in letters]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()
