"""Crash-safety under load: journeys run concurrently while every service process is
killed with SIGKILL in turn; `techmarket up`'s supervisor restarts them and clients retry
with the same Idempotency-Key. Afterwards every journey has converged, every event reached
every consumer, none was applied twice, and the ledger check is clean."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Iterator

import pytest

from tests.e2e.test_e2e_journey import assert_converged
from tests.support.journey import Api, open_program, run_journey
from tests.support.market import Market, new_stack, token
from tests.support.outbox_audit import audit_delivery

JOURNEYS = int(os.environ.get("CRASH_JOURNEYS", "200"))
SERVICES = ("listings", "matching", "deals", "vouchers")


@pytest.fixture(scope="module")
def crash_market() -> Iterator[Market]:
    stack = new_stack()
    stack.supervise_in_background()
    try:
        yield Market(stack)
    finally:
        stack.stop()


async def kill_each_service(market: Market, pause: float) -> float:
    """SIGKILL each service process in turn; returns when the last one was killed."""
    last = time.monotonic()
    for name in SERVICES:
        await asyncio.sleep(pause)
        process = market.stack.services[name].proc
        assert process is not None
        os.kill(process.pid, signal.SIGKILL)
        last = time.monotonic()
    return last


@pytest.mark.slow
async def test_journeys_converge_while_services_are_killed(crash_market: Market) -> None:
    market = crash_market
    api = Api({s: market.url(s) for s in SERVICES}, deadline_seconds=300)
    api.client.timeout = 10
    try:
        program = await open_program(api, "crash", budget_fen=JOURNEYS * 40_000_000)
        journeys = [asyncio.create_task(run_journey(api, f"crash{i:04d}", program,
                                                    wait_for_match=False))
                    for i in range(JOURNEYS)]
        killer = asyncio.create_task(kill_each_service(market, pause=4.0))
        done = await asyncio.gather(*journeys)
        last_kill = await killer
        for journey in done:
            await assert_converged(api, journey)
        converged_after = time.monotonic() - last_kill
        print(f"\n{JOURNEYS} journeys converged {converged_after:.1f}s after the last kill")
        assert all(market.stack.services[s].restarts >= 1 for s in SERVICES)
        await audit_delivery(market)
        check = await api.call("GET", "vouchers", "/ledger/check",
                               token("operator", "HE", sub="operator-HE"))
        assert check["ok"] is True and check["violations"] == []
    finally:
        await api.close()
