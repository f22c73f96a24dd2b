"""INTERIM(uow): the session-based data access the services move off; deleted when they have.

A use case's transaction: what the use case gets and its commit.

`SessionUnit` gives an AsyncSession (the ORM and SQLAlchemy Core, for most use cases);
`SqlUnit` a plain asyncpg connection from asyncpg's own pool, inside BEGIN … COMMIT, for
hot paths written in SQL: without a session's checkout, begin, commit and close through
SQLAlchemy, a listing create cost 28 % less CPU. `StatementUnit` gives a plain connection
outside any transaction, for use cases whose every write is one statement that stands on
its own. `shared.transaction.Tx` runs each.
"""

from __future__ import annotations

from types import TracebackType
from typing import Generic, TypeVar

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from shared.legacy_db import SessionMaker, is_disconnect

H = TypeVar("H", AsyncSession, asyncpg.Connection)


class Unit(Generic[H]):
    """One transaction: what the use case gets (`handle`, which `shared.db.driver` takes
    whichever it is) and its commit."""

    handle: H

    async def commit(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Unit[H]:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        raise NotImplementedError


class SessionUnit(Unit[AsyncSession]):
    def __init__(self, sessionmaker: SessionMaker) -> None:
        self.handle = sessionmaker()

    async def commit(self) -> None:
        await self.handle.commit()

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.handle.close()


class StatementUnit(Unit[asyncpg.Connection]):
    """A plain connection outside any transaction: each statement commits as it ends.

    For use cases whose every write is a single statement that stands on its own, behind
    the database's own walls (constraints, triggers, unique indexes): BEGIN and COMMIT were
    half the round trips of a voucher redemption. A use case that needs several statements
    to commit together opens `handle.transaction()` around them itself."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self.pool = pool

    async def __aenter__(self) -> StatementUnit:
        self.handle = await self.pool.acquire()
        return self

    async def commit(self) -> None:
        """Nothing to do: every statement committed as it ended."""

    async def _roll_back(self) -> None:
        # Only a use case's own transaction, cut off mid-way, can be open here; asyncpg
        # would still count it as running on this connection: do not reuse it.
        self.handle.terminate()

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        try:
            if error is not None and is_disconnect(error):
                self.handle.terminate()  # whatever asyncpg thinks of it, it is gone
            elif not self.handle.is_closed() and self.handle.is_in_transaction():
                await self._roll_back()  # a refusal, a read, a failed use case
        except Exception:
            self.handle.terminate()  # lost meanwhile: the pool opens another
        finally:
            await self.pool.release(self.handle)


class SqlUnit(StatementUnit):
    """The plain connection inside BEGIN … COMMIT."""

    async def __aenter__(self) -> SqlUnit:
        await super().__aenter__()
        # asyncpg's own transaction, so that `handle.transaction()` inside a use case is a
        # savepoint, as it is under a session.
        self.transaction = self.handle.transaction()
        try:
            await self.transaction.start()
        except BaseException:
            await self.pool.release(self.handle)
            raise
        return self

    async def commit(self) -> None:
        await self.transaction.commit()

    async def _roll_back(self) -> None:
        await self.transaction.rollback()
