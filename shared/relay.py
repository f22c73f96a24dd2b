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
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from sqlalchemy import Row, Text, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from shared.events.envelope import CONTENT_TYPE
from shared.failpoints import failpoint
from shared.metrics import OUTBOX_PUBLISHED
from shared.migration_ops import NOTIFY_CHANNEL
from shared.settings import plain_url
from shared.tables import outbox

log = logging.getLogger(__name__)
RELAY_LOCK = 7_340_001
_LISTEN_RETRY_SECONDS = 5.0


class Relay:
    def __init__(
        self,
        engine: AsyncEngine,
        producer: AIOKafkaProducer,
        database_url: str,
        *,
        poll_seconds: float = 1.0,
        batch_size: int = 500,
    ) -> None:
        self.engine = engine
        self.producer = producer
        self.database_url = database_url
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._next_listen_attempt = 0.0

    async def run(self) -> None:
        listener = await self._listen()
        backoff = 0.1
        try:
            while True:
                try:
                    published = await self.publish_batch()
                    backoff = 0.1
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("relay batch failed; retrying in %.1fs", backoff)
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 5.0)
                    continue
                if published < self.batch_size:
                    listener = await self._listening(listener)
                    await self._wait()
        finally:
            if listener is not None:
                await listener.close()

    async def publish_batch(self) -> int:
        async with self.engine.begin() as conn:
            if not await conn.scalar(select(func.pg_try_advisory_xact_lock(RELAY_LOCK))):
                return 0
            rows = (
                await conn.execute(
                    select(outbox.c.id, outbox.c.topic, outbox.c.key,
                           outbox.c.envelope.cast(Text).label("envelope"))
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            failpoint("relay.before_publish")
            await self._publish(rows)
            failpoint("relay.after_publish")
            ids = [r.id for r in rows]
            await conn.execute(
                update(outbox).where(outbox.c.id.in_(ids)).values(published_at=func.now())
            )
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    async def _publish(self, rows: Sequence[Row[Any, Any, Any, Any]]) -> None:
        headers = [("content-type", CONTENT_TYPE.encode())]
        pending = []
        for row in rows:
            pending.append(
                await self.producer.send(
                    row.topic,
                    value=row.envelope.encode(),
                    key=row.key.encode(),
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
