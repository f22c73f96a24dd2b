"""A broker that cannot take a dead letter is waited for: the record is marked processed
(its offset may be committed) only once its dead letter is written, and the consumer loop
does not fail over it."""

from __future__ import annotations

from typing import Any

from aiokafka import TopicPartition
from aiokafka.errors import KafkaConnectionError
from aiokafka.structs import ConsumerRecord

from shared.inbox import EventConsumer


class _FlakyBroker:
    """A producer whose first sends fail as an unreachable broker's do."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[tuple[str, bytes]] = []

    async def send_and_wait(self, topic: str, **record: Any) -> None:
        if self.failures:
            self.failures -= 1
            raise KafkaConnectionError("broker unreachable")
        self.sent.append((topic, record["value"]))


def _record(offset: int, value: bytes) -> ConsumerRecord:  # type: ignore[type-arg]
    return ConsumerRecord(topic="listings.events", partition=2, offset=offset, timestamp=0,
                          timestamp_type=0, key=None, value=value, checksum=None,
                          serialized_key_size=0, serialized_value_size=len(value), headers=[])


async def test_a_dead_letter_waits_for_the_broker_and_only_then_moves_on() -> None:
    broker = _FlakyBroker(failures=2)
    consumer = EventConsumer("deals", ["listings.events"], {}, None, broker,  # type: ignore[arg-type]
                             "127.0.0.1:1")
    partition = TopicPartition("listings.events", 2)
    await consumer.handle({partition: [_record(41, b"\x00not json")]})
    assert broker.sent == [("listings.events.dlq", b"\x00not json")]
    assert consumer._processed == {partition: 42}
