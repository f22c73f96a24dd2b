"""Self-healing: journeys run while the embedded broker (memory storage: its log dies with
it) or the embedded Postgres is killed with SIGKILL. Nobody types a command: the Stack's
supervisor, the same one `techmarket up` runs, says what died, restarts it (after a broker
loss: re-creates the topics and re-publishes every outbox), and the market converges."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Iterator

import pytest

from shared.kafka import market_topics, partition_counts
from tests.e2e.test_e2e_journey import assert_converged
from tests.support.journey import Api, open_program, run_journey
from tests.support.market import Market, new_stack, token
from tests.support.outbox_audit import audit_delivery

log = logging.getLogger(__name__)
SERVICES = ("listings", "matching", "deals", "vouchers")
JOURNEYS = 20


class HealingMarket(Market):
    """A market whose supervisor runs in the background and whose announcements are kept."""

    def __init__(self, market: Market) -> None:
        super().__init__(market.stack)
        self.announced: list[str] = []
        self.stack.announce = self.announce

    def announce(self, message: str) -> None:
        self.announced.append(message)
        log.warning("supervisor: %s", message)


@pytest.fixture(scope="module")
def healing_market() -> Iterator[HealingMarket]:
    # Durable Postgres: the fast one of other tests commits asynchronously, and a killed
    # server would lose the last inbox rows of consumers whose offsets Kafka already has.
    stack = new_stack(durable=True)
    market = HealingMarket(Market(stack))
    stack.supervise_in_background()
    try:
        yield market
    finally:
        stack.stop()


async def journeys_across(market: Market, tag: str, kill: int) -> None:
    """Run journeys, SIGKILL process `kill` meanwhile, and check that everything converged."""
    api = Api({s: market.url(s) for s in SERVICES}, deadline_seconds=240)
    api.client.timeout = 10
    try:
        program = await open_program(api, tag, budget_fen=1_000_000_000)
        journeys = [asyncio.create_task(run_journey(api, f"{tag}{i:03d}", program,
                                                    wait_for_match=False))
                    for i in range(JOURNEYS)]
        await asyncio.sleep(3)
        os.kill(kill, signal.SIGKILL)
        for journey in await asyncio.gather(*journeys):
            await assert_converged(api, journey)
        await audit_delivery(market)
        check = await api.call("GET", "vouchers", "/ledger/check",
                               token("operator", "HE", sub="operator-HE"))
        assert check["ok"] is True
    finally:
        await api.close()


def said(market: HealingMarket, words: str) -> bool:
    return any(words in message for message in market.announced)


@pytest.mark.slow
async def test_market_heals_itself_after_the_broker_is_killed(
        healing_market: HealingMarket) -> None:
    market = healing_market
    broker = market.stack.broker
    assert broker is not None and broker.proc is not None
    await journeys_across(market, "bloss", kill=broker.proc.pid)
    assert said(market, "the broker exited with code -9")
    assert said(market, "the broker is back")
    counts = await partition_counts(market.stack.bootstrap, market_topics())
    assert set(counts.values()) == {market.stack.topic_partitions}, counts


@pytest.mark.slow
async def test_market_heals_itself_after_postgres_is_killed(
        healing_market: HealingMarket) -> None:
    market = healing_market
    postgres = market.stack.postgres
    assert postgres is not None and postgres.proc is not None
    await journeys_across(market, "ploss", kill=postgres.proc.pid)
    assert said(market, "Postgres exited with code -9")
    assert said(market, "Postgres is back")
