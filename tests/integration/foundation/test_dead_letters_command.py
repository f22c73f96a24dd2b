"""`techmarket dlq` against the real broker: an event one consumer gave up on is listed,
re-driven once its cause is fixed, applied by that consumer, skipped by the one that had
applied it already, and applied only once however often it is re-driven."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import orjson
import pytest

from techmarket.dlq import DeadLetter, read_dead_letters
from tests.support.data import organization
from tests.support.market import Market, auth, eventually


@dataclass(frozen=True)
class Refusal:
    name: str  # of the organisations deals' replica refuses
    tag: str  # of the trigger that refuses them


@pytest.fixture
async def deals_refuses(market: Market) -> AsyncIterator[Refusal]:
    """A cause of failure in deals' replica, for organisations of one name (the other tests
    go on); the fixture's end, or the test, removes it."""
    name, tag = f"死信测试{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:12]
    conn = await market.db("deals")
    try:
        await conn.execute(f"""
            CREATE FUNCTION refuse_{tag}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.name = '{name}' THEN RAISE EXCEPTION 'deals refuses %', NEW.name; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_{tag} BEFORE INSERT OR UPDATE ON organizations
                FOR EACH ROW EXECUTE FUNCTION refuse_{tag}();""")
        yield Refusal(name, tag)
    finally:
        await conn.execute(f"DROP FUNCTION IF EXISTS refuse_{tag}() CASCADE")
        await conn.close()


async def _fix(market: Market, refusal: Refusal) -> None:
    await market.fetch("deals", f"DROP FUNCTION refuse_{refusal.tag}() CASCADE")


async def techmarket(market: Market, *args: str) -> str:
    """Runs the command line against the market's broker; its output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "techmarket", *args, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "KAFKA_BOOTSTRAP_SERVERS": market.stack.bootstrap})
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def _dead_letter_of(market: Market, org_id: str) -> DeadLetter | None:
    for letter in await read_dead_letters(market.stack.bootstrap, "listings.events"):
        try:  # other tests dead-letter records that are not JSON, or not objects
            data = orjson.loads(letter.value or b"{}").get("data", {})
        except (orjson.JSONDecodeError, AttributeError):
            continue
        if data.get("organization_id") == org_id and letter.consumer == "deals":
            return letter
    return None


async def _deals_duplicates(market: Market) -> float:
    async with market.client("deals") as client:
        text = (await client.get("/metrics")).text
    found = re.search(r'techmarket_events_duplicate_total\{consumer="deals"\} ([0-9.]+)', text)
    return float(found.group(1)) if found else 0.0


async def _known_to(market: Market, service: str, org_id: str) -> bool:
    return bool(await market.fetch(service, "SELECT 1 FROM organizations WHERE id = $1",
                                   uuid.UUID(org_id)))


async def test_a_dead_letter_is_listed_and_redriven_to_the_consumer_that_failed(
        market: Market, deals_refuses: Refusal) -> None:
    body = organization("BJ", name=deals_refuses.name)
    async with market.client("listings") as client:
        created = await client.post("/organizations", json=body, headers=auth("broker"))
    org_id = created.json()["id"]

    letter = await eventually(lambda: _dead_letter_of(market, org_id), timeout=60,
                              interval=0.5)
    event_id = letter.event_field("id")
    assert await eventually(lambda: _known_to(market, "vouchers", org_id), timeout=30)
    assert not await _known_to(market, "deals", org_id)

    listed = await techmarket(market, "dlq", "list", "listings.events")
    line = next(line for line in listed.splitlines() if event_id in line)
    assert letter.position in line and "consumer=deals" in line
    assert "organization.registered" in line and "listings.events/" in line
    assert "deals refuses" in listed

    await _fix(market, deals_refuses)
    before = await _deals_duplicates(market)
    redriven = await techmarket(market, "dlq", "redrive", "listings.events",
                                "--consumer", "deals", "--event-id", event_id)
    assert redriven.count("re-driven") == 1 and event_id in redriven
    assert await eventually(lambda: _known_to(market, "deals", org_id), timeout=60)

    # Once more: deals has applied it, so its inbox skips it.
    await techmarket(market, "dlq", "redrive", "listings.events", "--event-id", event_id)
    await eventually(lambda: _more_than(market, before), timeout=60)
    assert await market.fetchval("deals", "SELECT count(*) FROM inbox WHERE event_id = $1",
                                 uuid.UUID(event_id)) == 1


async def _more_than(market: Market, duplicates: float) -> bool:
    return await _deals_duplicates(market) > duplicates
