"""Registration numbers stay gap-free per region and year, and are never handed out twice,
under concurrent registrations, refusals and transactions that roll back."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from deals_helpers import TODAY, Parties, document_hash, new_parties, signed_deal
from sqlalchemy.ext.asyncio import AsyncSession

from services.deals import repository
from shared.db import make_engine, make_sessionmaker
from tests.support.market import Market

REGION_CODES = {"BJ": "110000", "TJ": "120000"}


async def _sequences(market: Market, region_code: str, year: int) -> list[int]:
    rows = await market.fetch("deals", "SELECT sequence FROM registrations WHERE region_code=$1 "
                              "AND year=$2 ORDER BY sequence", region_code, year)
    return [r["sequence"] for r in rows]


async def _register(market: Market, parties: Parties, deal_id: str) -> tuple[int, dict]:
    async with market.client("deals") as client:
        answer = await client.post(f"/deals/{deal_id}/registration",
                                   headers=parties.broker.headers)
    return answer.status_code, answer.json()


async def test_fifty_concurrent_registrations_in_two_regions(market: Market) -> None:
    sellers = {region: await new_parties(market, region, "HE") for region in REGION_CODES}
    shared_document = document_hash()
    work: list[tuple[str, Parties, str]] = []  # (what should happen, parties, deal id)
    for i in range(50):
        parties = sellers["BJ" if i % 2 else "TJ"]
        work.append(("registered", parties, (await signed_deal(market, parties))["id"]))
    for i in range(6):  # refusals roll nothing forward
        parties = sellers["BJ" if i % 2 else "TJ"]
        work.append(("refused", parties, (await signed_deal(market, parties, ip=[]))["id"]))
    for _ in range(4):  # one written contract submitted by four deals at once: one wins
        parties = sellers["BJ"]
        deal = await signed_deal(market, parties, document_sha256=shared_document)
        work.append(("same document", parties, deal["id"]))

    answers = await asyncio.gather(*(_register(market, p, d) for _, p, d in work))

    outcome = [(expected, status) for (expected, _, _), (status, _) in zip(work, answers,
                                                                          strict=True)]
    assert all(status == 200 for expected, status in outcome if expected == "registered")
    assert all(status == 422 for expected, status in outcome if expected == "refused")
    racers = [status for expected, status in outcome if expected == "same document"]
    assert sorted(racers)[0] == 200 and racers.count(200) == 1
    assert all(status in (409, 422) for status in racers if status != 200)

    numbers = [body["registration_no"] for status, body in answers if status == 200]
    assert len(numbers) == len(set(numbers)) == 51
    for region, code in REGION_CODES.items():
        sequences = await _sequences(market, code, TODAY.year)
        assert sequences == list(range(1, len(sequences) + 1)), region
        last = await market.fetchval("deals", "SELECT last_sequence FROM registration_counters "
                                     "WHERE region_code=$1 AND year=$2", code, TODAY.year)
        assert last == len(sequences)
        ours = sorted(int(n[10:]) for n in numbers if n.startswith(code))
        assert set(ours) <= set(sequences)
    stored = {r["registration_no"] for r in await market.fetch(
        "deals", "SELECT registration_no FROM registrations WHERE deal_id = ANY($1::uuid[])",
        [d for _, _, d in work])}
    assert stored == set(numbers)


@pytest.fixture
async def deals_session(market: Market) -> AsyncIterator[AsyncSession]:
    engine = make_engine(market.stack.service_database_url("deals"), pool_size=2)
    try:
        async with make_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def test_a_rolled_back_registration_gives_its_number_back(
        deals_session: AsyncSession) -> None:
    # A year nobody registers in, so the test owns the counter row.
    region, year = "130000", 1990
    async with deals_session.begin():
        first = await repository.next_sequence(deals_session, region, year)
    async with deals_session.begin():
        tried = await repository.next_sequence(deals_session, region, year)
        await deals_session.rollback()
    async with deals_session.begin():
        again = await repository.next_sequence(deals_session, region, year)
    assert tried == again == first + 1
