"""Real process crashes at exact points (failpoints), with supervised restarts.

1. listings dies after the use case committed and before its relay published: the event is
   delivered after the restart.
2. deals dies after its consumer committed to the database and before committing the Kafka
   offset: the event is redelivered after the restart, and the inbox skips it.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterator

import httpx
import pytest

from tests.support.data import organization
from tests.support.market import Market, auth, eventually, new_stack


@pytest.fixture(scope="module")
def crashing_market() -> Iterator[Market]:
    marker_dir = tempfile.mkdtemp(prefix="failpoints-")
    stack = new_stack(("listings", "deals"), extra_env={
        "TECHMARKET_FAILPOINTS": "relay.before_publish,consumer.after_db_commit",
        "TECHMARKET_FAILPOINT_DIR": marker_dir,
    })
    stack.supervise_in_background()
    try:
        yield Market(stack)
    finally:
        stack.stop()


def _duplicates_skipped(metrics: str) -> float:
    found = re.search(r'techmarket_events_duplicate_total\{consumer="deals"\} ([0-9.]+)', metrics)
    return float(found.group(1)) if found else 0.0


async def test_crash_between_commit_and_publish_then_between_apply_and_offset(
    crashing_market: Market,
) -> None:
    market = crashing_market
    listings = market.stack.services["listings"]
    deals = market.stack.services["deals"]
    async with market.client("listings") as client:
        created = await client.post("/organizations", json=organization("BJ"),
                                    headers=auth("broker"))
    assert created.status_code == 201
    org_id = uuid.UUID(created.json()["id"])

    # The relay crashed before publishing; the supervisor restarts listings, which publishes.
    await eventually(lambda: _async(listings.restarts >= 1), timeout=30)
    await eventually(lambda: market.fetch(
        "deals", "SELECT 1 FROM organizations WHERE id=$1", org_id), timeout=90)

    # deals applied the event and crashed before the offset commit; after its restart the
    # redelivered event is recognised by the inbox and skipped.
    await eventually(lambda: _async(deals.restarts >= 1), timeout=30)

    async def skipped() -> bool:
        try:
            async with market.client("deals") as client:
                metrics = (await client.get("/metrics", timeout=2)).text
        except httpx.HTTPError:
            return False
        return _duplicates_skipped(metrics) >= 1

    await eventually(skipped, timeout=90, interval=0.5)
    rows = await market.fetchval("deals", "SELECT count(*) FROM organizations WHERE id=$1",
                                 org_id)
    inbox = await market.fetchval("deals", "SELECT count(*) FROM inbox")
    assert rows == 1
    assert inbox == 1
    published = await market.fetchval(
        "listings", "SELECT count(*) FROM outbox WHERE published_at IS NULL")
    assert published == 0


async def _async(value: bool) -> bool:
    return value
