"""The one way code touches its service's database: a unit of work on one connection.

Every use case, event handler, job and the relay gets a `Db`: one connection from the
service's asyncpg pool. Every repository function takes a `Db` and runs SQL on it. A unit
runs in one of three modes (`Mode`), chosen by whoever runs it, never by the use case:

- `Mode.WRITE`: one transaction, committed when the unit ends without an error.
- `Mode.READ`: one read-only transaction on one snapshot (REPEATABLE READ READ ONLY, in the
  same single BEGIN): every statement of a read sees the same instant, and Postgres refuses
  a write in it.
- `Mode.STATEMENTS`: no transaction around the use case; each statement commits as it
  ends. For use cases whose every write is one statement that stands on its own behind the
  database's walls (constraints, triggers, unique indexes), where BEGIN and COMMIT would be
  half the round trips (the voucher redemption). Statements that must commit together go
  inside `db.atomic()`, and `shared.outbox.record` refuses to write an event outside a
  transaction (it would commit apart from its change): such a use case carries its event
  in a CTE of the statement that makes the change (`shared.outbox.cte`).

`db.atomic()` is all or nothing for the statements inside it in every mode: a savepoint
inside a transaction, a transaction of its own in `Mode.STATEMENTS`. A use case never asks
which mode it runs in.

No pre-ping on checkout: it would cost a round trip on every unit. A connection that died
(Postgres restarted, backend terminated) is found by the statement using it; the unit then
ends that connection instead of pooling it, and `shared.transaction` runs the use case once
more on a fresh one, which is safe because nothing was committed.
"""

from __future__ import annotations

import enum
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
from asyncpg.transaction import Transaction

from shared.settings import plain_url

_DISCONNECTS = (OSError, asyncpg.PostgresConnectionError,
                asyncpg.AdminShutdownError, asyncpg.CannotConnectNowError)


class Mode(enum.Enum):
    WRITE = "write"
    READ = "read"
    STATEMENTS = "statements"


class CommitFailed(Exception):
    """The COMMIT itself failed: the outcome is unknown, so the work is never run again."""


class NotInTransaction(RuntimeError):
    """A write that must commit with others was attempted outside any transaction."""


class Db:
    """One unit of work's connection: SQL in, asyncpg records out.

    JSON and JSONB parameters take Python values (dicts, lists ...), encoded by orjson;
    JSON columns come back decoded."""

    __slots__ = ("_connection",)

    def __init__(self, connection: asyncpg.Connection) -> None:
        self._connection = connection

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._connection.fetch(sql, *args)  # type: ignore[no-any-return]

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        return await self._connection.fetchrow(sql, *args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        return await self._connection.fetchval(sql, *args)

    async def execute(self, sql: str, *args: Any) -> str:
        """Runs `sql`; the command tag (e.g. 'UPDATE 3', see `affected`)."""
        return await self._connection.execute(sql, *args)  # type: ignore[no-any-return]

    async def executemany(self, sql: str, args: Iterable[Sequence[Any]]) -> None:
        await self._connection.executemany(sql, args)

    def atomic(self) -> Transaction:
        """All or nothing for the statements inside `async with db.atomic():`."""
        return self._connection.transaction()

    def require_transaction(self, what: str) -> None:
        """Refuses `what` (a write that must commit with the others) outside a transaction."""
        if not self._connection.is_in_transaction():
            raise NotInTransaction(f"{what} must run inside a transaction (db.atomic())")


def affected(tag: str) -> int:
    """Rows a statement touched, from its command tag ('UPDATE 3' -> 3)."""
    count = tag.rsplit(" ", 1)[-1]
    return int(count) if count.isdigit() else 0


@dataclass(frozen=True)
class DbLimits:
    """How long anything may take: connecting, a statement on the server (Postgres cancels
    it), and a statement as the client waits for it (the connection is then closed). A
    stuck statement fails its request instead of holding a connection for ever."""

    connect_seconds: float = 10.0
    statement_ms: int = 60_000
    command_seconds: float = 90.0


class Database:
    """A service's database: its pool and the units of work run on it."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    @classmethod
    async def open(cls, url: str, *, size: int, limits: DbLimits | None = None) -> Database:
        """Opens no connection until one is needed."""
        limits = limits or DbLimits()
        pool = await asyncpg.create_pool(
            plain_url(url), min_size=0, max_size=size, init=_json_codecs,
            reset=_nothing_to_reset, timeout=limits.connect_seconds,
            command_timeout=limits.command_seconds,
            server_settings={"statement_timeout": str(limits.statement_ms)})
        return cls(pool)

    @asynccontextmanager
    async def unit(self, mode: Mode = Mode.WRITE) -> AsyncIterator[Db]:
        """One unit of work. In WRITE and READ it commits when the block ends without an
        error (a failed COMMIT raises `CommitFailed`) and rolls back otherwise."""
        connection: asyncpg.Connection = await self.pool.acquire()
        try:
            if mode is Mode.STATEMENTS:
                yield Db(connection)
            else:
                async with _transaction(connection, readonly=mode is Mode.READ) as db:
                    yield db
        except BaseException as error:
            if is_disconnect(error):
                connection.terminate()  # whatever asyncpg thinks of it, it is gone
            raise
        finally:
            await self._release(connection)

    async def forget_connections(self) -> None:
        """After a lost connection every pooled one may be as dead (Postgres restarted)."""
        await self.pool.expire_connections()

    async def close(self) -> None:
        await self.pool.close()

    async def _release(self, connection: asyncpg.Connection) -> None:
        # A transaction still open here was cut off mid-way (a cancelled request); the pool
        # does not reset connections, so one in that state is ended, not reused.
        if not connection.is_closed() and connection.is_in_transaction():
            connection.terminate()
        await self.pool.release(connection)


@asynccontextmanager
async def _transaction(connection: asyncpg.Connection, *, readonly: bool) -> AsyncIterator[Db]:
    transaction = (connection.transaction(isolation="repeatable_read", readonly=True)
                   if readonly else connection.transaction())
    await transaction.start()
    try:
        yield Db(connection)
    except BaseException:
        try:
            await transaction.rollback()
        except Exception:
            connection.terminate()  # lost meanwhile: the pool opens another
        raise
    try:
        await transaction.commit()
    except Exception as error:
        raise CommitFailed(str(error)) from error


async def _json_codecs(connection: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await connection.set_type_codec(kind, schema="pg_catalog", format="text",
                                        encoder=_json_text, decoder=orjson.loads)


def _json_text(value: Any) -> str:
    return orjson.dumps(value).decode()


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """Units set no session state and end their transactions (`Database._release`): the
    default reset would be a round trip on every release."""


def is_disconnect(error: BaseException) -> bool:
    """Did `error` come from a lost database connection (nothing was committed by it)?"""
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
