"""The one retry pacing, and a consumer that counts only the event's own failures."""

from __future__ import annotations

from typing import Any

import asyncpg

from shared.backoff import Backoff
from shared.inbox import EventConsumer


def test_delays_double_up_to_the_cap_and_start_over_after_a_reset() -> None:
    backoff = Backoff(first=0.1, cap=0.5)
    assert [backoff.delay() for _ in range(5)] == [0.1, 0.2, 0.4, 0.5, 0.5]
    backoff.reset()
    assert backoff.delay() == 0.1


class _Scripted(EventConsumer):
    """A consumer whose unit of work fails as scripted and records its dead letters."""

    def __init__(self, failures: list[Exception]) -> None:
        super().__init__("probe", ["probe.events"], {}, None, None, "127.0.0.1:1",  # type: ignore[arg-type]
                         max_attempts=2, retry_base_seconds=0.0)
        self.failures, self.dead = failures, []

    async def apply(self, event: Any, handler: Any) -> bool:
        if self.failures:
            raise self.failures.pop(0)
        return True

    async def dead_letter(self, record: Any, exc: BaseException) -> None:
        self.dead.append(exc)


class _Event:
    type = "probe.happened"


async def test_an_unreachable_database_does_not_count_toward_the_dead_letter() -> None:
    lost = asyncpg.ConnectionDoesNotExistError("closed")
    consumer = _Scripted([lost, lost, lost, ValueError("bad amount")])
    await consumer._handle_with_retries(None, _Event(), None)  # type: ignore[arg-type]
    assert consumer.dead == []  # one failure of its own, under max_attempts=2


async def test_an_event_that_keeps_failing_is_dead_lettered() -> None:
    consumer = _Scripted([ValueError("bad"), ValueError("still bad")])
    await consumer._handle_with_retries(None, _Event(), None)  # type: ignore[arg-type]
    assert [str(e) for e in consumer.dead] == ["still bad"]
