"""A pooled connection that died (Postgres restarted, backend terminated) costs the client
nothing: the use case runs again on a fresh connection, and writes exactly once."""

from __future__ import annotations

import uuid

from tests.support.data import organization
from tests.support.listings import broker_desk, created, offer_body
from tests.support.market import Market, auth, eventually

# Every connection the service holds to its database, except the relay's LISTEN.
_TERMINATE = """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = 'techmarket_listings' AND pid <> pg_backend_pid()
    AND query NOT ILIKE 'LISTEN%'"""


async def _warm_pool(market: Market, headers: dict[str, str]) -> None:
    async with market.client("listings") as client:
        for _ in range(3):
            assert (await client.get("/organizations", headers=headers)).status_code == 200


async def test_a_write_on_a_dead_connection_is_run_again_once(market: Market) -> None:
    headers = auth("operator", "BJ")
    await _warm_pool(market, headers)
    assert await market.fetchval("listings", _TERMINATE) >= 1
    body = organization()
    async with market.client("listings") as client:
        created = await client.post("/organizations", json=body, headers=headers)
    assert created.status_code == 201, created.text
    count = await market.fetchval("listings", "SELECT count(*) FROM organizations WHERE "
                                  "credit_code = $1", body["credit_code"])
    assert count == 1


async def test_a_read_on_a_dead_connection_is_answered(market: Market) -> None:
    headers = auth("operator", "BJ")
    await _warm_pool(market, headers)
    assert await market.fetchval("listings", _TERMINATE) >= 1
    async with market.client("listings") as client:
        listed = await client.get("/organizations", headers=headers)
    assert listed.status_code == 200, listed.text


async def test_the_relay_listens_again_after_losing_its_connection(market: Market) -> None:
    listening = """SELECT pid FROM pg_stat_activity WHERE datname = 'techmarket_listings'
                   AND query ILIKE 'LISTEN%'"""
    before = {row[0] for row in await market.fetch("listings", listening)}
    assert before, "the relay listens for outbox notifications"
    await market.fetchval("listings", "SELECT count(pg_terminate_backend(pid)) FROM "
                          "pg_stat_activity WHERE pid = ANY($1::int[])", list(before))

    async def listening_again() -> bool:
        now = {row[0] for row in await market.fetch("listings", listening)}
        return bool(now - before)

    await eventually(listening_again, timeout=20)
    async with market.client("listings") as client:  # and events still flow
        created = await client.post("/organizations", json=organization(),
                                    headers=auth("operator", "BJ"))
    assert created.status_code == 201


async def test_a_dead_connection_in_the_plain_pool_costs_the_client_nothing(
        market: Market) -> None:
    """POST /offers runs on asyncpg's own pool (Tx.run_sql), not on a session: the write
    happens once, on a fresh connection."""
    desk = await broker_desk(market)
    for _ in range(2):  # the pool now holds a connection
        await created(market, "/offers", offer_body(desk.client_id), desk.headers)
    assert await market.fetchval("listings", _TERMINATE) >= 1
    body = offer_body(desk.client_id, title=f"断线后重试的成果 {uuid.uuid4().hex[:8]}")
    offer = await created(market, "/offers", body, desk.headers)
    count = await market.fetchval("listings", "SELECT count(*) FROM offers WHERE title = $1",
                                  body["title"])
    assert count == 1
    assert offer["title"] == body["title"]
