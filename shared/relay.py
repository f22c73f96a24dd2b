"""Outbox relay: publishes committed outbox rows to Kafka, in order per aggregate.

Woken by LISTEN/NOTIFY (trigger on the outbox) with a slow poll as fallback. One batch is
one transaction: claim rows (`FOR UPDATE SKIP LOCKED`), publish, await every ack, mark them
published. A crash between publish and mark re-publishes the batch: at-least-once, and
consumers deduplicate by event id. An advisory lock lets only one replica's relay publish at
a time, which keeps per-key order when a service runs several replicas.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

import asyncpg
from aiokafka import AIOKafkaProducer

from shared.backoff import Backoff
from shared.db import Database
from shared.events.envelope import CONTENT_TYPE
from shared.failpoints import failpoint
from shared.metrics import OUTBOX_PUBLISHED
from shared.migration_ops import NOTIFY_CHANNEL
from shared.settings import plain_url

log = logging.getLogger(__name__)
RELAY_LOCK = 7_340_001
_LISTEN_RETRY_SECONDS = 5.0
_CLAIM = """SELECT id, topic, key, envelope::text AS envelope FROM outbox
    WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED"""
_PUBLISHED = "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])"


class Relay:
    def __init__(
        self,
        database: Database,
        producer: AIOKafkaProducer,
        database_url: str,
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 500,
    ) -> None:
        self.database = database
        self.producer = producer
        self.database_url = database_url
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._next_listen_attempt = 0.0

    async def run(self) -> None:
        listener = await self._listen()
        backoff = Backoff(first=0.1, cap=5.0)
        try:
            while True:
                try:
                    published = await self.publish_batch()
                    backoff.reset()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("relay batch failed; retrying")
                    await backoff.wait()
                    continue
                if published < self.batch_size:
                    listener = await self._listening(listener)
                    await self._wait()
        finally:
            if listener is not None:
                await listener.close()

    async def publish_batch(self) -> int:
        async with self.database.unit() as db:
            if not await db.fetchval("SELECT pg_try_advisory_xact_lock($1)", RELAY_LOCK):
                return 0
            rows = await db.fetch(_CLAIM, self.batch_size)
            if not rows:
                return 0
            failpoint("relay.before_publish")
            await self._publish(rows)
            failpoint("relay.after_publish")
            await db.execute(_PUBLISHED, [row["id"] for row in rows])
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    async def _publish(self, rows: Sequence[asyncpg.Record]) -> None:
        headers = [("content-type", CONTENT_TYPE.encode())]
        pending = []
        for row in rows:
            pending.append(
                await self.producer.send(
                    row["topic"],
                    value=row["envelope"].encode(),
                    key=row["key"].encode(),
                    headers=headers,
                )
            )
        await asyncio.gather(*pending)

    async def _wait(self) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), timeout=self.poll_seconds)
        except TimeoutError:
            pass
        self._wake.clear()

    async def _listening(self, listener: asyncpg.Connection | None) -> asyncpg.Connection | None:
        """The LISTEN connection, opened again if it was lost (Postgres restarted, backend
        terminated): without it the relay would wait a full poll interval for every event."""
        if listener is not None and not listener.is_closed():
            return listener
        if time.monotonic() < self._next_listen_attempt:
            return listener
        self._next_listen_attempt = time.monotonic() + _LISTEN_RETRY_SECONDS
        return await self._listen()

    async def _listen(self) -> asyncpg.Connection | None:
        try:
            conn = await asyncpg.connect(plain_url(self.database_url))
            await conn.add_listener(NOTIFY_CHANNEL, lambda *_: self._wake.set())
            return conn
        except (OSError, asyncpg.PostgresError):
            log.warning("relay could not LISTEN; polling every %.1fs", self.poll_seconds)
            return None
