"""Which data-access style a unit of work should use: the client CPU of one small use case.

The same use case three ways, on the same embedded PostgreSQL, one after another, in one
run: open a unit, insert a row (text + JSONB), read it back by id, update it, commit.
- `asyncpg`: the market's `shared.db` unit (a pooled asyncpg connection, SQL text).
- `core`: SQLAlchemy Core statements on an `AsyncConnection` (`engine.begin()`).
- `session`: SQLAlchemy `AsyncSession` executing the same Core statements.
Reports the load generator's own CPU per use case (the server's work is the same for all
three), best of `--rounds`.

    .venv/bin/python -m bench.data_access [--units 2000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import Column, MetaData, Table, Text, insert, select, update
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from bench.common import write_results
from shared.db import Database
from techmarket.embedded import EmbeddedPostgres
from techmarket.processes import free_port

METADATA = MetaData()
PROBE = Table("probe", METADATA, Column("id", UUID(as_uuid=True), primary_key=True),
              Column("title", Text, nullable=False), Column("facts", JSONB, nullable=False))
FACTS = {"industry": "C39", "keywords": ["锂电池", "正极材料"], "price_fen": 1_200_000}
_INSERT = "INSERT INTO probe (id, title, facts) VALUES ($1, $2, $3)"
_READ = "SELECT id, title, facts FROM probe WHERE id = $1"
_UPDATE = "UPDATE probe SET title = $2 WHERE id = $1"


async def asyncpg_unit(database: Database) -> None:
    key = uuid.uuid4()
    async with database.unit() as db:
        await db.execute(_INSERT, key, "高镍正极材料", FACTS)
        await db.fetchrow(_READ, key)
        await db.execute(_UPDATE, key, "高镍正极材料 (修订)")


async def core_unit(engine: AsyncEngine) -> None:
    key = uuid.uuid4()
    async with engine.begin() as conn:
        await conn.execute(insert(PROBE).values(id=key, title="高镍正极材料", facts=FACTS))
        (await conn.execute(select(PROBE).where(PROBE.c.id == key))).one()
        await conn.execute(update(PROBE).where(PROBE.c.id == key).values(title="修订"))


async def session_unit(sessions: async_sessionmaker) -> None:  # type: ignore[type-arg]
    key = uuid.uuid4()
    async with sessions() as session, session.begin():
        await session.execute(insert(PROBE).values(id=key, title="高镍正极材料", facts=FACTS))
        (await session.execute(select(PROBE).where(PROBE.c.id == key))).one()
        await session.execute(update(PROBE).where(PROBE.c.id == key).values(title="修订"))


async def cpu_per_unit(unit: Callable[[], Awaitable[None]], units: int) -> float:
    for _ in range(100):  # warm the caches (prepared statements, compiled SQL)
        await unit()
    started = time.process_time()
    for _ in range(units):
        await unit()
    return (time.process_time() - started) / units * 1000


async def measure(url: str, units: int, rounds: int) -> dict[str, float]:
    engine = create_async_engine(url.replace("postgresql://", "postgresql+asyncpg://"),
                                 pool_size=1)
    async with engine.begin() as conn:
        await conn.run_sync(METADATA.create_all)
    database = await Database.open(url, size=1)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    styles: dict[str, Callable[[], Awaitable[None]]] = {
        "asyncpg": lambda: asyncpg_unit(database), "core": lambda: core_unit(engine),
        "session": lambda: session_unit(sessions)}
    best = {name: float("inf") for name in styles}
    for _ in range(rounds):
        for name, unit in styles.items():
            best[name] = min(best[name], await cpu_per_unit(unit, units))
    await database.close()
    await engine.dispose()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        server = EmbeddedPostgres(Path(home) / "pgdata", free_port(), fast=True)
        server.start()
        try:
            best = asyncio.run(measure(server.url, args.units, args.rounds))
        finally:
            server.stop()
    for name, ms in best.items():
        print(f"{name:8s} {ms:.3f} ms of client CPU per unit ({ms / best['asyncpg']:.2f}x)")
    write_results("data_access", {"units": args.units, "rounds": args.rounds,
                                  "client_cpu_ms_per_unit": best})


if __name__ == "__main__":
    main()
