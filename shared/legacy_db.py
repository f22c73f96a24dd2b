"""INTERIM(uow): the session-based data access the services move off; deleted when they have.

Async engine and sessions (SQLAlchemy 2 + asyncpg), and the driver under a session.

No pre-ping: it cost three round trips (BEGIN, `;`, ROLLBACK) on every checkout, more than a
whole listing create. A connection that died (Postgres restarted, backend terminated) is
found by the statement using it instead; `shared.transaction` then refreshes the pool and
runs the use case again, which is safe because nothing was committed.
"""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
import orjson
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.settings import asyncpg_url, plain_url

SessionMaker = async_sessionmaker[AsyncSession]
# What a repository function that runs on the driver takes: a session, or the plain asyncpg
# connection of a use case run by `Tx.run_sql`.
Db: TypeAlias = AsyncSession | asyncpg.Connection
_DISCONNECTS = (OSError, asyncpg.PostgresConnectionError,
                asyncpg.AdminShutdownError, asyncpg.CannotConnectNowError)


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    return create_async_engine(
        asyncpg_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=False,
        pool_recycle=1800,
    )


async def open_pool(url: str, *, size: int) -> asyncpg.Pool:
    """asyncpg's own pool, for use cases written in SQL (`Tx.run_sql`): no session, no ORM.

    Opens no connection until one is needed, like the engine. Its connections decode JSON
    as the engine's do, so a repository function gives the same rows on either."""
    return await asyncpg.create_pool(plain_url(url), min_size=0, max_size=size,
                                     init=_json_codecs, reset=_keep_session_state)


async def _json_codecs(connection: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await connection.set_type_codec(kind, schema="pg_catalog", format="text",
                                        encoder=str, decoder=orjson.loads)


async def _keep_session_state(connection: asyncpg.Connection) -> None:
    """Nothing to reset: use cases set no session state, and asyncpg has already rolled back
    an unfinished transaction. The default reset was a round trip on every release."""


def make_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    # expire_on_commit=False: results are serialised after the commit, without lazy loads.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def driver(db: Db) -> asyncpg.Connection:
    """The asyncpg connection under `db`, inside its transaction.

    For the statements hot paths run (Idempotency-Key, outbox, a listing's insert...):
    asyncpg's own prepared-statement cache without SQLAlchemy's per-statement work. The
    transaction is the session's, so they commit or roll back with the use case. A use case
    run by `Tx.run_sql` holds the connection itself, and gets it back unchanged."""
    if not isinstance(db, AsyncSession):
        return db
    connection = await db.connection()
    adapted = (await connection.get_raw_connection()).dbapi_connection
    if adapted._transaction is None:  # type: ignore[union-attr]
        # SQLAlchemy begins the driver's transaction lazily, at its first statement.
        await adapted._start_transaction()  # type: ignore[union-attr]
    return adapted._connection  # type: ignore[union-attr]


def is_disconnect(error: BaseException) -> bool:
    """Did `error` come from a lost database connection (nothing was committed by it)?"""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    seen: BaseException | None = error
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, _DISCONNECTS) or _closed_under_us(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _closed_under_us(error: BaseException) -> bool:
    # A backend terminated while its pooled connection sat idle can leave asyncpg's
    # protocol mid-state, and the next statement fails with "cannot switch to state N;
    # another operation (M) is in progress" instead of a connection error (asyncpg
    # issue #1069; seen here after pg_terminate_backend).
    message = str(error)
    return ((isinstance(error, asyncpg.InterfaceError) and "connection is closed" in message)
            or (isinstance(error, asyncpg.InternalClientError)
            and "cannot switch to state" in message))
