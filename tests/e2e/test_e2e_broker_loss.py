"""Broker loss: the embedded broker keeps its log in memory. Restart it mid-run, replay every
service's outbox from before the fault (`techmarket replay`), and the market converges."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from tests.e2e.test_e2e_journey import assert_converged
from tests.support.journey import Api, open_program, run_journey
from tests.support.market import Market, new_stack, token
from tests.support.outbox_audit import audit_delivery

SERVICES = ("listings", "matching", "deals", "vouchers")


@pytest.fixture(scope="module")
def lossy_market() -> Iterator[Market]:
    stack = new_stack()
    stack.supervise_in_background()
    try:
        yield Market(stack)
    finally:
        stack.stop()


def replay(market: Market, service: str, since: datetime) -> str:
    done = subprocess.run([sys.executable, "-m", "techmarket", "replay", service, "--since",
                           since.isoformat()], env=market.stack.service_env(),
                          capture_output=True, text=True, check=True, timeout=60)
    return done.stdout


@pytest.mark.slow
async def test_market_converges_after_broker_restart_and_replay(lossy_market: Market) -> None:
    market = lossy_market
    api = Api({s: market.url(s) for s in SERVICES}, deadline_seconds=240)
    started = datetime.now(UTC) - timedelta(seconds=5)
    try:
        program = await open_program(api, "loss", budget_fen=1_000_000_000)
        journeys = [asyncio.create_task(run_journey(api, f"loss{i:03d}", program,
                                                    wait_for_match=False)) for i in range(20)]
        await asyncio.sleep(3)
        await asyncio.to_thread(market.stack.restart_broker)
        for service in SERVICES:
            assert "queued for re-publication" in await asyncio.to_thread(
                replay, market, service, started)
        for journey in await asyncio.gather(*journeys):
            await assert_converged(api, journey)
        await audit_delivery(market)
        check = await api.call("GET", "vouchers", "/ledger/check",
                               token("operator", "HE", sub="operator-HE"))
        assert check["ok"] is True
    finally:
        await api.close()
