"""Which replica of the matching service this process is, and so which feed it follows.

Every replica ranks from its own in-memory index, so each needs the whole of
`listings.events`, not a share of it: replica k consumes with its own group (`matching`,
`matching-2`, ...). Replicas share the read model, whose version guards make their
duplicate writes no-ops (and only the replica that wrote a publication suggests matches).
The slot is a Postgres advisory lock held by one connection for the life of the process:
replicas started together (uvicorn workers, containers) never take the same slot, and a
restarted replica takes back the one its predecessor freed. That connection is the
process's own, outside the service's pool: a unit of work would give its connection back
(and with it the lock) when it ends.
"""

from __future__ import annotations

import asyncpg

from services.matching import repository
from shared.db import Db
from shared.settings import plain_url

_SLOT_LOCK_BASE = 7_340_100
MAX_REPLICAS = 32


class FeedSlot:
    def __init__(self, number: int, connection: asyncpg.Connection) -> None:
        self.number = number
        self._connection = connection

    def consumer_group(self, base: str) -> str:
        return base if self.number == 1 else f"{base}-{self.number}"

    async def release(self) -> None:
        await self._connection.close()


async def claim_slot(database_url: str) -> FeedSlot:
    """The first free slot, held until `FeedSlot.release` (or the process's end)."""
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        db = Db(connection)
        for number in range(1, MAX_REPLICAS + 1):
            if await repository.try_feed_slot(db, _SLOT_LOCK_BASE + number):
                return FeedSlot(number, connection)
    except BaseException:
        await connection.close()
        raise
    await connection.close()
    raise RuntimeError(f"more than {MAX_REPLICAS} matching replicas share this database")
