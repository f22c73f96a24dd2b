"""What a running service holds: settings, database, Kafka producer, background tasks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from aiokafka import AIOKafkaProducer

from shared.backoff import Backoff
from shared.db import Database, DbLimits
from shared.inbox import EventConsumer, Handler
from shared.kafka import Broker, ensure_topics, make_producer, market_topics, start_with_retry
from shared.relay import Relay
from shared.settings import MarketSettings

log = logging.getLogger(__name__)


@dataclass
class ConsumerSpec:
    topics: list[str]
    handlers: dict[str, Handler]


@dataclass
class Job:
    """A periodic background job: `run(runtime)` every `every_seconds`."""

    name: str
    every_seconds: float
    run: Callable[[Runtime], Awaitable[None]]


@dataclass
class Runtime:
    service: str
    settings: MarketSettings
    # The service's database: every use case, handler, job and the relay run a unit of
    # work on it (shared/db.py).
    database: Database
    producer: AIOKafkaProducer
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    state: dict[str, object] = field(default_factory=dict)
    # Service-specific readiness checks /readyz adds to its own (e.g. an index being built).
    readiness: dict[str, Callable[[], bool]] = field(default_factory=dict)
    # Closed after the background tasks have stopped (e.g. a connection holding a lock).
    on_stop: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @classmethod
    async def open(cls, service: str, settings: MarketSettings, *, pool_size: int) -> Runtime:
        """Opens the database's pool (no connection until one is needed) and the producer."""
        database = await Database.open(settings.service_database_url(service), size=pool_size,
                                       limits=DbLimits(
                                           connect_seconds=settings.db_connect_timeout_seconds,
                                           statement_ms=settings.db_statement_timeout_ms,
                                           command_seconds=settings.db_command_timeout_seconds))
        return cls(service, settings, database, make_producer(Broker.of(settings)))

    @property
    def broker(self) -> Broker:
        """The market's Kafka, with this service's credentials."""
        return Broker.of(self.settings)

    async def start(self, consumers: list[ConsumerSpec], jobs: list[Job]) -> None:
        s = self.settings
        await ensure_topics(self.broker, market_topics(), s.topic_partitions)
        await start_with_retry(self.producer)
        relay = Relay(self.database, self.producer, s.service_database_url(self.service),
                      poll_seconds=s.relay_poll_seconds, batch_size=s.relay_batch_size)
        self.spawn("relay", relay.run)
        for spec in consumers:
            consumer = EventConsumer(
                self.service, spec.topics, spec.handlers, self.database, self.producer,
                self.broker, max_attempts=s.consumer_max_attempts,
                retry_base_seconds=s.consumer_retry_base_seconds,
                fetch_max_wait_ms=s.consumer_fetch_max_wait_ms)
            self.spawn(f"consumer:{','.join(spec.topics)}", consumer.run)
        if s.background_jobs:
            for job in jobs:
                self.spawn(f"job:{job.name}", self._every(job))

    def spawn(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        self.tasks.append(asyncio.create_task(self._supervised(name, run), name=name))

    async def _supervised(self, name: str, run: Callable[[], Awaitable[None]]) -> None:
        """A background loop that crashes is logged and restarted, never silently lost."""
        backoff = Backoff(first=0.5, cap=30.0)
        while True:
            try:
                await run()
                return
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("background task %s crashed; restarting", name)
                await backoff.wait()

    def _every(self, job: Job) -> Callable[[], Awaitable[None]]:
        async def loop() -> None:
            while True:
                try:
                    await job.run(self)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("job %s failed", job.name)
                await asyncio.sleep(job.every_seconds)

        return loop

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for close in self.on_stop:
            await close()
        await self.producer.stop()
        await self.database.close()
