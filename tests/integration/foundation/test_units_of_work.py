"""A unit of work (shared.db): WRITE commits at the end or leaves nothing, READ refuses
writes, STATEMENTS commits each statement as it ends, `db.atomic()` is all or nothing in
every mode, and an event is never recorded outside a transaction.

A pool of one connection and a temporary table: every unit below runs on that connection,
and the service's own tables stay untouched."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest

from shared import outbox
from shared.db import Database, DbLimits, Mode, NotInTransaction, affected
from shared.events.listings import OrganizationRegistered
from tests.support.market import Market


@pytest.fixture
async def database(market: Market) -> AsyncIterator[Database]:
    database = await Database.open(market.stack.service_database_url("listings"), size=1)
    async with database.unit() as db:
        await db.execute("CREATE TEMP TABLE probe (id uuid PRIMARY KEY, note text)")
    yield database
    await database.close()


async def _notes(database: Database) -> list[str]:
    async with database.unit(Mode.READ) as db:
        return [row[0] for row in await db.fetch("SELECT note FROM probe ORDER BY 1")]


async def _insert(database: Database, note: str, mode: Mode = Mode.WRITE) -> None:
    async with database.unit(mode) as db:
        await db.execute("INSERT INTO probe VALUES ($1, $2)", uuid.uuid4(), note)


async def test_a_write_unit_commits_at_its_end_and_a_failed_one_leaves_nothing(
        database: Database) -> None:
    await _insert(database, "kept")
    with pytest.raises(RuntimeError):
        async with database.unit() as db:
            await db.execute("INSERT INTO probe VALUES ($1, 'lost')", uuid.uuid4())
            raise RuntimeError("the use case failed")
    assert await _notes(database) == ["kept"]


async def test_a_read_unit_sees_one_snapshot(database: Database) -> None:
    async with database.unit(Mode.READ) as db:
        assert await db.fetchval("SHOW transaction_isolation") == "repeatable read"
        assert await db.fetchval("SHOW transaction_read_only") == "on"


async def test_a_read_unit_refuses_to_write(database: Database) -> None:
    # Postgres lets a read-only transaction write temporary tables: the probe is the
    # service's own idempotency table.
    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
        async with database.unit(Mode.READ) as db:
            await db.execute("DELETE FROM idempotency_keys WHERE false")


async def test_atomic_inside_a_write_unit_rolls_back_alone(database: Database) -> None:
    async with database.unit() as db:
        await db.execute("INSERT INTO probe VALUES ($1, 'outer')", uuid.uuid4())
        with pytest.raises(RuntimeError):
            async with db.atomic():
                await db.execute("INSERT INTO probe VALUES ($1, 'inner')", uuid.uuid4())
                raise RuntimeError("only this part fails")
    assert await _notes(database) == ["outer"]


async def test_each_statement_of_a_statements_unit_commits_as_it_ends(
        database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.unit(Mode.STATEMENTS) as db:
            await db.execute("INSERT INTO probe VALUES ($1, 'alone')", uuid.uuid4())
            raise RuntimeError("the use case failed after its write")
    assert await _notes(database) == ["alone"]


async def test_atomic_inside_a_statements_unit_is_all_or_nothing(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.unit(Mode.STATEMENTS) as db, db.atomic():
            await db.execute("INSERT INTO probe VALUES ($1, 'first')", uuid.uuid4())
            raise RuntimeError("the second write never came")
    async with database.unit(Mode.STATEMENTS) as db, db.atomic():
        for note in ("both", "together"):
            await db.execute("INSERT INTO probe VALUES ($1, $2)", uuid.uuid4(), note)
    assert await _notes(database) == ["both", "together"]


async def test_an_event_is_recorded_only_inside_a_transaction(database: Database) -> None:
    event = OrganizationRegistered(
        organization_id=str(uuid.uuid4()), name="探针", region="BJ", kind="lab",
        credit_code="91110000000000000X", small_firm=False, registered_at=datetime.now(UTC))
    async with database.unit(Mode.STATEMENTS) as db:
        with pytest.raises(NotInTransaction):
            await outbox.record(db, event)
        assert await db.fetchval("SELECT count(*) FROM outbox WHERE key = $1",
                                 event.organization_id) == 0


async def test_affected_reads_a_command_tag(database: Database) -> None:
    await _insert(database, "one")
    await _insert(database, "two")
    async with database.unit() as db:
        assert affected(await db.execute("UPDATE probe SET note = note")) == 2
        assert affected(await db.execute("DELETE FROM probe WHERE false")) == 0


async def test_a_cut_off_transaction_is_never_pooled(database: Database) -> None:
    async with database.unit(Mode.STATEMENTS) as db:
        cut_off = await db.fetchval("SELECT pg_backend_pid()")
        transaction = db.atomic()
        await transaction.start()  # left open, as a cancelled request would
        await db.execute("INSERT INTO probe VALUES ($1, 'never committed')", uuid.uuid4())
    async with database.unit(Mode.STATEMENTS) as db:  # a fresh, clean connection
        assert await db.fetchval("SELECT pg_backend_pid()") != cut_off
        assert await db.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1 "
                                 "AND state LIKE 'idle in transaction%'", cut_off) == 0


async def test_a_statement_past_its_time_is_cancelled(market: Market) -> None:
    database = await Database.open(market.stack.service_database_url("listings"), size=1,
                                   limits=DbLimits(statement_ms=200))
    try:
        async with database.unit(Mode.READ) as db:
            assert await db.fetchval("SHOW statement_timeout") == "200ms"
        with pytest.raises(asyncpg.QueryCanceledError):
            async with database.unit(Mode.READ) as db:
                await db.fetchval("SELECT pg_sleep(5)")
    finally:
        await database.close()
