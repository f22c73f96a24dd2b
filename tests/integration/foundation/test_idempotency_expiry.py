"""Idempotency-Keys expire: after IDEMPOTENCY_KEY_TTL_HOURS (24 by default) the same key
runs as a new request, and the purge job deletes expired keys, found by an index."""

from __future__ import annotations

from datetime import timedelta

from shared.db import Database
from shared.settings import SERVICES
from shared.transaction import purge_expired_keys
from tests.support.data import organization
from tests.support.market import Market, auth

DAY = 24 * 3600


async def _age(market: Market, service: str, key: str, by: timedelta) -> None:
    """Moves a key's first use back in time, as the administrator would in the database."""
    conn = await market.db(service)
    try:
        await conn.execute("UPDATE idempotency_keys SET created_at = created_at - $2::interval "
                           "WHERE key = $1", key, by)
    finally:
        await conn.close()


async def test_an_expired_key_runs_as_a_new_request(market: Market) -> None:
    headers = {**auth("broker", sub="broker-expiry"), "Idempotency-Key": "org-expiry-1"}
    first_body, second_body = organization(), organization()
    async with market.client("listings") as client:
        first = await client.post("/organizations", json=first_body, headers=headers)
        reused = await client.post("/organizations", json=second_body, headers=headers)
        await _age(market, "listings", "org-expiry-1", timedelta(hours=25))
        renewed = await client.post("/organizations", json=second_body, headers=headers)
        replayed = await client.post("/organizations", json=second_body, headers=headers)
    assert first.status_code == 201 and reused.status_code == 422
    assert renewed.status_code == 201, renewed.text
    assert "idempotent-replayed" not in renewed.headers
    assert renewed.json()["id"] != first.json()["id"]
    # The key now belongs to the new request, for another day.
    assert replayed.headers.get("idempotent-replayed") == "true"
    assert replayed.json() == renewed.json()


async def test_a_key_just_inside_its_lifetime_still_replays(market: Market) -> None:
    body = organization()
    headers = {**auth("broker", sub="broker-expiry-2"), "Idempotency-Key": "org-expiry-2"}
    async with market.client("listings") as client:
        first = await client.post("/organizations", json=body, headers=headers)
        await _age(market, "listings", "org-expiry-2", timedelta(hours=23))
        again = await client.post("/organizations", json=body, headers=headers)
    assert again.headers.get("idempotent-replayed") == "true"
    assert again.json() == first.json()


async def test_the_purge_deletes_expired_keys_in_batches_and_keeps_live_ones(
        market: Market) -> None:
    async with market.client("listings") as client:
        for number in range(5):
            headers = {**auth("broker", sub="broker-purge"),
                       "Idempotency-Key": f"org-purge-{number}"}
            answer = await client.post("/organizations", json=organization(), headers=headers)
            assert answer.status_code == 201
    for number in range(3):
        await _age(market, "listings", f"org-purge-{number}", timedelta(days=2))
    database = await Database.open(market.stack.login_url("listings"), size=1)
    try:
        deleted = await purge_expired_keys(database, DAY, batch=2)
    finally:
        await database.close()
    left = {r["key"] for r in await market.fetch(
        "listings", "SELECT key FROM idempotency_keys WHERE key LIKE 'org-purge-%'")}
    assert deleted >= 3
    assert left == {"org-purge-3", "org-purge-4"}


async def test_every_service_indexes_its_keys_by_age(market: Market) -> None:
    for service in SERVICES:
        definitions = [r["indexdef"] for r in await market.fetch(
            service, "SELECT indexdef FROM pg_indexes WHERE tablename = 'idempotency_keys'")]
        assert any("(created_at)" in d for d in definitions), (service, definitions)
