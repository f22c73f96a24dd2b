"""A use case written in SQL (Tx.run_sql) gets a plain connection inside a transaction that
commits at the boundary, rolls back on failure, and nests savepoints as a session does. One
run by Tx.run_statements gets a plain connection outside any transaction: each statement
commits as it ends, and a transaction the use case opens itself is a real one.

A pool of one connection and a temporary table: every unit below runs on that connection,
and the service's own tables stay untouched."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest

from shared.db import open_pool
from shared.units import SqlUnit, StatementUnit
from tests.support.market import Market


@pytest.fixture
async def pool(market: Market) -> AsyncIterator[asyncpg.Pool]:
    pool = await open_pool(market.stack.service_database_url("listings"), size=1)
    async with SqlUnit(pool) as unit:
        await unit.handle.execute("CREATE TEMP TABLE probe (id uuid PRIMARY KEY, note text)")
        await unit.commit()
    yield pool
    await pool.close()


async def _notes(pool: asyncpg.Pool) -> list[str]:
    async with SqlUnit(pool) as unit:
        return [row[0] for row in await unit.handle.fetch("SELECT note FROM probe ORDER BY 1")]


async def test_committed_writes_stay_and_a_failed_use_case_leaves_nothing(
        pool: asyncpg.Pool) -> None:
    async with SqlUnit(pool) as unit:
        await unit.handle.execute("INSERT INTO probe VALUES ($1, 'kept')", uuid.uuid4())
        await unit.commit()
    with pytest.raises(RuntimeError):
        async with SqlUnit(pool) as unit:
            await unit.handle.execute("INSERT INTO probe VALUES ($1, 'lost')", uuid.uuid4())
            raise RuntimeError("the use case failed")
    assert await _notes(pool) == ["kept"]


async def test_a_savepoint_inside_a_use_case_rolls_back_alone(pool: asyncpg.Pool) -> None:
    async with SqlUnit(pool) as unit:
        await unit.handle.execute("INSERT INTO probe VALUES ($1, 'outer')", uuid.uuid4())
        with pytest.raises(RuntimeError):
            async with unit.handle.transaction():
                await unit.handle.execute("INSERT INTO probe VALUES ($1, 'inner')",
                                          uuid.uuid4())
                raise RuntimeError("only this part fails")
        await unit.commit()
    assert await _notes(pool) == ["outer"]


async def test_each_statement_of_a_statement_unit_commits_as_it_ends(
        pool: asyncpg.Pool) -> None:
    with pytest.raises(RuntimeError):
        async with StatementUnit(pool) as unit:
            assert not unit.handle.is_in_transaction()
            await unit.handle.execute("INSERT INTO probe VALUES ($1, 'alone')", uuid.uuid4())
            raise RuntimeError("the use case failed after its write")
    assert await _notes(pool) == ["alone"]


async def test_a_transaction_inside_a_statement_unit_is_all_or_nothing(
        pool: asyncpg.Pool) -> None:
    with pytest.raises(RuntimeError):
        async with StatementUnit(pool) as unit:
            async with unit.handle.transaction():
                await unit.handle.execute("INSERT INTO probe VALUES ($1, 'first')",
                                          uuid.uuid4())
                raise RuntimeError("the second write never came")
    async with StatementUnit(pool) as unit:
        async with unit.handle.transaction():
            for note in ("both", "together"):
                await unit.handle.execute("INSERT INTO probe VALUES ($1, $2)", uuid.uuid4(),
                                          note)
        await unit.commit()
    assert await _notes(pool) == ["both", "together"]
    async with StatementUnit(pool) as unit:  # the connection went back to the pool clean
        assert not unit.handle.is_in_transaction()
