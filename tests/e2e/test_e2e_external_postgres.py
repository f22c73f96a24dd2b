"""The market on a PostgreSQL server it did not start: `TEST_EXTERNAL_DATABASE_URL` names it
(.ci/run sets it when 127.0.0.1:5432 answers). Migrations and the whole journey run there,
in databases and roles of their own (a prefix unique to the run, dropped at the end), so
neither a repeated run nor the developer's own `techmarket_*` databases and roles are
touched. Given only the administrator's URL, `techmarket migrate` makes every service's
roles there, and the services connect as them."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from shared.migrations import alembic_config, quote_identifier
from shared.settings import SERVICES, plain_url
from tests.e2e.test_e2e_journey import (
    test_the_journey_from_offer_to_settled_voucher as the_journey,
)
from tests.integration.foundation.test_database_roles import (
    test_each_service_connects_as_its_own_role as each_service_connects_as_its_role,
)
from tests.integration.foundation.test_database_roles import (
    test_no_role_connects_to_another_service_database as no_role_connects_elsewhere,
)
from tests.integration.foundation.test_database_roles import (
    test_the_vouchers_role_cannot_rewrite_the_books as the_books_cannot_be_rewritten,
)
from tests.support.market import Market, new_stack

# The server allows 100 connections by default and may serve others too: a few per
# service process are plenty for one journey at a time.
SMALL_POOLS = {"DB_POOL_SIZE": "4", "DB_MAX_OVERFLOW": "2", "VOUCHERS_DB_POOL_SIZE": "4",
               "VOUCHERS_DB_SESSION_POOL_SIZE": "4"}


@pytest.fixture(scope="module")
def external_server() -> str:
    url = os.environ.get("TEST_EXTERNAL_DATABASE_URL")
    if not url:
        pytest.skip("TEST_EXTERNAL_DATABASE_URL is not set: no PostgreSQL server of our own "
                    "to run against (.ci/run sets it when 127.0.0.1:5432 answers)")
    return url


@pytest.fixture(scope="module")
def external_market(external_server: str) -> Iterator[Market]:
    prefix = f"techmarket_test_{uuid.uuid4().hex[:8]}_"
    stack = None
    try:
        stack = new_stack(extra_env={"DATABASE_PREFIX": prefix, **SMALL_POOLS},
                          database_url=external_server)
        yield Market(stack)
    finally:
        if stack:
            stack.stop()
        _in_a_thread(_drop_databases(external_server, prefix))
        _in_a_thread(_drop_roles(external_server, prefix))


def _in_a_thread(work: Coroutine[Any, Any, None]) -> None:
    """Run a coroutine to its end from a sync fixture, leaving the session's loop alone."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, work).result()


async def _drop_databases(server: str, prefix: str) -> None:
    conn = await asyncpg.connect(plain_url(server))
    try:
        names = [r["datname"] for r in await conn.fetch(
            "SELECT datname FROM pg_database WHERE starts_with(datname, $1)", prefix)]
        for name in names:
            await conn.execute(f"DROP DATABASE {quote_identifier(name)} WITH (FORCE)")
    finally:
        await conn.close()


async def _drop_roles(server: str, prefix: str) -> None:
    """The run's roles, once their databases are gone (they own nothing else)."""
    conn = await asyncpg.connect(plain_url(server))
    try:
        names = [r["rolname"] for r in await conn.fetch(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)", prefix)]
        for name in names:
            await conn.execute(f"DROP ROLE {quote_identifier(name)}")
    finally:
        await conn.close()


async def test_every_service_database_is_migrated_to_head(external_market: Market) -> None:
    for service in SERVICES:
        assert await external_market.fetchval(
            service, "SELECT datcollate = 'C' AND pg_encoding_to_char(encoding) = 'UTF8' "
            "FROM pg_database WHERE datname = current_database()")
        url = external_market.stack.service_database_url(service)
        assert "/techmarket_test_" in url
        head = ScriptDirectory.from_config(alembic_config(service, url)).get_current_head()
        assert await external_market.fetchval(
            service, "SELECT version_num FROM alembic_version") == head


async def test_the_journey_on_an_external_postgres(external_market: Market) -> None:
    server_version = await external_market.fetchval("deals", "SHOW server_version")
    print(f"external PostgreSQL {server_version}")
    await the_journey(external_market)


async def test_the_services_connect_as_their_own_roles(external_market: Market) -> None:
    await each_service_connects_as_its_role(external_market)
    await no_role_connects_elsewhere(external_market)
    await the_books_cannot_be_rewritten(external_market)
