"""Fixtures of the vouchers integration tests: the `world` around the running vouchers
service, and the ledger check after every test ("the ledger check is clean after every
test")."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.vouchers.world import VouchersWorld, administrator


@pytest.fixture(scope="session")
def vouchers_stack(request: pytest.FixtureRequest) -> dict[str, str]:
    """Where the vouchers service runs. VOUCHERS_TEST_STACK=<json with url, bootstrap, db>
    runs these tests against a stack that is already up (development); by default they use
    the session's `market` (started here, outside the event loop: it runs its own)."""
    given = os.environ.get("VOUCHERS_TEST_STACK")
    if given:
        info: dict[str, str] = json.loads(Path(given).read_text(encoding="utf-8"))
        return info
    market = request.getfixturevalue("market")
    return {"url": market.url("vouchers"), "bootstrap": market.stack.bootstrap,
            "db": market.stack.service_database_url("vouchers")}


@pytest.fixture(scope="session")
async def world(vouchers_stack: dict[str, str]) -> AsyncIterator[VouchersWorld]:
    found = VouchersWorld(vouchers_stack["url"], vouchers_stack["bootstrap"],
                          vouchers_stack["db"])
    await found.start()
    try:
        yield found
    finally:
        await found.stop()


@pytest.fixture(autouse=True)
async def ledger_stays_clean(world: VouchersWorld) -> AsyncIterator[None]:
    yield
    async with world.client() as client:
        response = await client.get("/ledger/check", headers=administrator())
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True, "violations": []}
