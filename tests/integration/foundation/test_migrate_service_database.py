"""`techmarket up` migrates exactly the database each service will use: a service sent
elsewhere by `<SERVICE>_DATABASE_URL` starts on a created and migrated database, and no
unused `techmarket_<service>` is made for it on DATABASE_URL's server."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from shared.settings import plain_url, with_database
from techmarket.processes import free_port
from tests.support.market import auth, new_stack

ELSEWHERE = "deals_elsewhere"


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(plain_url(url))
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row["tablename"] for row in rows}
    finally:
        await conn.close()


async def _databases(server_url: str) -> set[str]:
    conn = await asyncpg.connect(plain_url(server_url))
    try:
        return {row["datname"] for row in await conn.fetch("SELECT datname FROM pg_database")}
    finally:
        await conn.close()


def test_a_service_database_elsewhere_is_the_one_migrated() -> None:
    pg_port = free_port()
    server = f"postgresql://postgres@127.0.0.1:{pg_port}/postgres"
    deals_url = with_database(server, ELSEWHERE)
    stack = new_stack(("deals",), {"DEALS_DATABASE_URL": deals_url}, pg_port=pg_port)
    try:
        assert stack.service_database_url("deals") == deals_url
        assert {"alembic_version", "deals", "registrations"} <= asyncio.run(_tables(deals_url))
        databases = asyncio.run(_databases(server))
        assert ELSEWHERE in databases and "techmarket_deals" not in databases
        assert "techmarket_listings" in databases  # the others stay on DATABASE_URL
        base = stack.url("deals")
        assert httpx.get(f"{base}/readyz", timeout=5).status_code == 200
        flows = httpx.get(f"{base}/stats/flows", headers=auth("operator"), timeout=5)
        assert flows.status_code == 200, flows.text  # its tables are there
    finally:
        stack.stop()
