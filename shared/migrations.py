"""Migrate the services' databases: make each service's roles, create its database if
missing, run its Alembic revisions as the database's owner, then grant the service's login
role what it may do (one database per service, one version table each; see
shared/db_roles.py).

`migrate` is the one path: `techmarket migrate`, `techmarket up` and deploy/migrate.sh all
call it, and it migrates exactly the database the service will use
(`MarketSettings.admin_database_url`: the same database as `service_database_url`, reached
as the administrator). A service with a URL of its own (`<SERVICE>_DATABASE_URL`) is
migrated as that URL's role, and its roles are the deployment's to manage.
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

from shared import db_roles
from shared.db_roles import ServiceRoles, quote_identifier
from shared.settings import SERVICES, MarketSettings, asyncpg_url, plain_url, with_database

# Where CREATE DATABASE is run from when a service's database does not exist yet.
MAINTENANCE_DATABASE = "postgres"
# A database made here is UTF-8 with the C collation whatever the server's defaults (a
# server's template may be SQL_ASCII, or sort text by a language's rules): the same as the
# embedded server's (initdb -E UTF8 --locale=C), on which the suite runs.
CREATE_OPTIONS = "TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"


def migrate(settings: MarketSettings, services: Sequence[str] = SERVICES) -> list[str]:
    """Create (if missing) and migrate each service's database, with its roles and grants
    when they are the market's to manage; the URLs, for a report."""
    urls = []
    for service in services:
        url = settings.admin_database_url(service)
        roles = None
        if settings.manages_database_roles(service):
            roles = ServiceRoles.of(settings, service)
            asyncio.run(prepare(settings.database_url, url, roles))
        else:
            asyncio.run(create_database(url))
        upgrade(service, url, roles=roles)
        urls.append(url)
    return urls


async def prepare(server_url: str, url: str, roles: ServiceRoles) -> None:
    """The roles, the database (owned by the owner role, closed to all but the login
    role), and everything in it handed to the owner."""
    server = await asyncpg.connect(plain_url(server_url))
    try:
        await db_roles.ensure_roles(server, roles)
        if not await server.fetchval("SELECT true FROM pg_database WHERE datname = $1",
                                     roles.database):
            try:
                await server.execute(f"CREATE DATABASE {quote_identifier(roles.database)} "
                                     f"OWNER {quote_identifier(roles.owner)} {CREATE_OPTIONS}")
            except asyncpg.DuplicateDatabaseError:  # created meanwhile by another migrate
                pass
        await db_roles.own_database(server, roles)
    finally:
        await server.close()
    database = await asyncpg.connect(plain_url(url))
    try:
        await db_roles.adopt(database, roles)
    finally:
        await database.close()


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


def alembic_config(service: str, database_url: str, role: str | None = None) -> Config:
    """Alembic's configuration for the service's migrations on `database_url`, run as
    `role` (SET ROLE: what they make is the role's) if given."""
    folder = Path(__file__).resolve().parent.parent / "services" / service / "migrations"
    cfg = Config()
    cfg.set_main_option("script_location", str(folder))
    # Alembic's config is a ConfigParser: a literal % (a percent-encoded password) is %%.
    cfg.set_main_option("sqlalchemy.url", asyncpg_url(database_url).replace("%", "%%"))
    cfg.attributes["role"] = role
    return cfg


def upgrade(service: str, database_url: str, revision: str = "head",
            roles: ServiceRoles | None = None) -> None:
    """Run the service's migrations up to `revision` (as the owner role, if `roles`), make
    its owner-rights functions so, and grant the login role its privileges."""
    owner = roles.owner if roles else None
    command.upgrade(alembic_config(service, database_url, owner), revision)
    asyncio.run(secure(service, database_url, roles))


async def secure(service: str, database_url: str, roles: ServiceRoles | None) -> None:
    settings = {"role": roles.owner} if roles else {}
    database = await asyncpg.connect(plain_url(database_url), server_settings=settings)
    try:
        await db_roles.secure_functions(database, service)
        if roles:
            await db_roles.grant(database, roles)
    finally:
        await database.close()


def run_env(metadata: list[MetaData]) -> None:
    """Body of every service's migrations/env.py (online mode, asyncpg)."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url
    role = context.config.attributes.get("role")
    # As the owner role from the first statement on: the version table and every object a
    # revision makes are the owner's.
    connect_args = {"server_settings": {"role": role}} if role else {}

    def run_migrations(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool, connect_args=connect_args)
        async with engine.connect() as connection:
            await connection.run_sync(run_migrations)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run())
