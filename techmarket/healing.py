"""Self-healing of the embedded Postgres and broker, one step of the Stack's supervise loop.

A dead Postgres is started again on its data directory: the data is kept (Postgres replays
its WAL first), and the services reconnect on their own (they retry a lost connection).

A dead broker lost everything it held in memory: topics, events and consumer groups'
offsets. The supervisor heals it in this order:

1. it stops the services. Nothing may reach the new broker before its topics exist (Tansu
   creates an unknown topic on the first metadata request, with its own partition count),
   and a consumer that read the lost log would commit its old offsets to the new broker
   (Tansu accepts them) and then skip that many events of the new log;
2. it starts the broker on the same port and creates the topics with their partitions;
3. it marks every outbox row published since the lost broker started as unpublished;
4. it starts the services: each relay publishes its outbox again in the original order
   (before anything newer), each consumer reads the new log from its start, and the inbox
   skips what was already applied.

Every step can be taken again, so a step that fails (Postgres down at that moment, say) is
retried on a later tick from where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import asyncpg

from shared.kafka import Broker, ensure_topics, market_topics, partition_counts
from shared.settings import SERVICES, plain_url

if TYPE_CHECKING:
    from techmarket.stack import Stack

log = logging.getLogger("techmarket")

# Replay from a little before the lost broker started: `published_at` is the database's
# clock, which may differ a little from ours (an external DATABASE_URL). Replaying more is
# harmless, consumers deduplicate.
REPLAY_MARGIN = timedelta(minutes=1)
RETRY_SECONDS = 2.0
REQUEUE = "UPDATE outbox SET published_at = NULL WHERE published_at >= $1"


class Healer:
    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        # Set from the moment a broker loss is seen until its outboxes are queued again.
        self.replay_since: datetime | None = None
        self._retry_at = 0.0

    def tick(self) -> None:
        if time.monotonic() < self._retry_at:
            return
        try:
            self._heal_postgres()
            self._heal_broker()
        except Exception as exc:  # any failure is retried on a later tick
            self._retry_at = time.monotonic() + RETRY_SECONDS
            self.stack.announce(f"healing did not succeed yet ({exc!r}); "
                                f"trying again in {RETRY_SECONDS:.0f}s")

    def _heal_postgres(self) -> None:
        postgres = self.stack.postgres
        if postgres is None or (code := postgres.exit_code()) is None:
            return
        self.stack.announce(f"Postgres exited with code {code}; restarting it on its data "
                            f"directory (the data is kept, the services reconnect by "
                            f"themselves)")
        started = time.monotonic()
        postgres.restart()
        self.stack.announce(f"Postgres is back on port {postgres.port} after "
                            f"{time.monotonic() - started:.1f}s")

    def _heal_broker(self) -> None:
        broker = self.stack.broker
        if broker is None:
            return
        if self.replay_since is None:
            if (code := broker.exit_code()) is None:
                return
            self._broker_lost(code)
        if broker.exit_code() is not None:
            broker.start()
        self._create_topics()
        assert self.replay_since is not None
        requeued = asyncio.run(requeue_outboxes(self.stack, self.replay_since))
        self.replay_since = None
        self.stack.resume_services()
        self.stack.announce(f"the broker is back on {broker.bootstrap}; {requeued} events "
                            f"queued for re-publication; services started again")

    def _broker_lost(self, code: int) -> None:
        broker = self.stack.broker
        assert broker is not None and broker.started_at is not None
        self.replay_since = broker.started_at - REPLAY_MARGIN
        self.stack.announce(
            f"the broker exited with code {code}: its topics, events and consumer offsets "
            f"were in memory and are lost. Stopping the services, restarting the broker, "
            f"re-creating the topics and re-publishing every outbox since "
            f"{self.replay_since.isoformat(timespec='seconds')}")
        self.stack.halt_services()

    def _create_topics(self) -> None:
        broker, topics = Broker.of(self.stack.settings()), market_topics()
        partitions = self.stack.topic_partitions
        asyncio.run(ensure_topics(broker, topics, partitions))
        counts = asyncio.run(partition_counts(broker, topics))
        short = {t: n for t, n in counts.items() if n < partitions}
        if short:
            self.stack.announce(f"topics with fewer than {partitions} partitions: {short}")


async def requeue_outboxes(stack: Stack, since: datetime) -> int:
    """Mark every event published since `since` unpublished, in each service's outbox."""
    total = 0
    for service in SERVICES:
        conn = await asyncpg.connect(plain_url(stack.service_database_url(service)))
        try:
            status = await conn.execute(REQUEUE, since)
        finally:
            await conn.close()
        total += int(status.split()[-1])
    return total
