"""Migrate the services' databases: create each if missing, then run its Alembic revisions
(one database per service, one version table each).

`migrate` is the one path: `techmarket migrate`, `techmarket up` and deploy/migrate.sh all
call it, and it migrates exactly the database the service will use
(`MarketSettings.service_database_url`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import asyncpg
from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from shared.settings import SERVICES, MarketSettings, asyncpg_url, plain_url, with_database

# Where CREATE DATABASE is run from when a service's database does not exist yet.
MAINTENANCE_DATABASE = "postgres"
# A database made here is UTF-8 with the C collation whatever the server's defaults (a
# server's template may be SQL_ASCII, or sort text by a language's rules): the same as the
# embedded server's (initdb -E UTF8 --locale=C), on which the suite runs.
CREATE_OPTIONS = "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"


def migrate(settings: MarketSettings, services: Sequence[str] = SERVICES) -> list[str]:
    """Create (if missing) and migrate each service's database; the URLs, for a report."""
    urls = []
    for service in services:
        url = settings.service_database_url(service)
        asyncio.run(create_database(url))
        upgrade(service, url)
        urls.append(url)
    return urls


async def create_database(url: str) -> bool:
    """Create the database `url` names unless it exists; True if it was created."""
    try:
        existing = await asyncpg.connect(plain_url(url))
    except asyncpg.InvalidCatalogNameError:
        pass
    else:
        await existing.close()
        return False
    name = make_url(url).database
    if not name:
        raise ValueError(f"no database named in {make_url(url)!r}")
    server = await asyncpg.connect(plain_url(with_database(url, MAINTENANCE_DATABASE)))
    try:
        await server.execute(f"CREATE DATABASE {quote_identifier(name)} {CREATE_OPTIONS}")
    except asyncpg.DuplicateDatabaseError:  # created meanwhile by another migrate
        return False
    finally:
        await server.close()
    return True


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def alembic_config(service: str, database_url: str) -> Config:
    folder = Path(__file__).resolve().parent.parent / "services" / service / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    # Alembic's config is a ConfigParser: a literal % (a percent-encoded password) is %%.
    cfg.set_main_option("sqlalchemy.url", asyncpg_url(database_url).replace("%", "%%"))
    return cfg


def upgrade(service: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(service, database_url), revision)


def run_env(metadata: list[MetaData]) -> None:
    """Body of every service's migrations/env.py (online mode, asyncpg)."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url

    def run_migrations(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run())
