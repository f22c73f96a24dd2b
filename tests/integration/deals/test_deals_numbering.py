"""Registration numbers stay gap-free per region and year, and are never handed out twice,
under concurrent registrations, refusals and transactions that roll back."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import pytest
from deals_helpers import TODAY, Parties, document_hash, new_parties, signed_deal
from sqlalchemy.ext.asyncio import AsyncSession

from services.deals import repository
from shared.legacy_db import make_engine, make_sessionmaker
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


@asynccontextmanager
async def _own_session(market: Market) -> AsyncIterator[AsyncSession]:
    """A session on the deals database with a pool of its own (a connection of its own)."""
    engine = make_engine(market.stack.service_database_url("deals"), pool_size=2)
    try:
        async with make_sessionmaker(engine)() as session:
            yield session
    finally:
        await engine.dispose()


@pytest.fixture
async def deals_session(market: Market) -> AsyncIterator[AsyncSession]:
    async with _own_session(market) as session:
        yield session


async def _register_directly(session: AsyncSession, deal_id: str, registered_on: date,
                             *, roll_back: bool) -> int:
    """The registration statement of the use case, in a transaction of the test's own."""
    async with session.begin():
        found = await repository.deal_to_register(session, uuid.UUID(deal_id), None)
        assert found is not None
        found.deal.status = "registered"
        registration = await repository.register(
            session, found.deal, repository.Certificate("130000", registered_on, "卖方", "买方"))
        if roll_back:  # as when the event, the Idempotency-Key answer or the commit fails
            await session.rollback()
    return registration.sequence


async def test_a_registration_rolled_back_after_its_number_gives_the_number_back(
        market: Market, deals_session: AsyncSession) -> None:
    parties = await new_parties(market, "HE", "BJ")
    first, second = [(await signed_deal(market, parties))["id"] for _ in range(2)]
    # A year nobody registers in, so the test owns the counter row.
    day = date(1990, 6, 1)
    taken = await _register_directly(deals_session, first, day, roll_back=False)
    tried = await _register_directly(deals_session, second, day, roll_back=True)
    again = await _register_directly(deals_session, second, day, roll_back=False)
    assert tried == again == taken + 1
    assert await _sequences(market, "130000", 1990) == [taken, again]
    assert await market.fetchval("deals", "SELECT last_sequence FROM registration_counters "
                                 "WHERE region_code='130000' AND year=1990") == again


@pytest.fixture
async def second_session(market: Market) -> AsyncIterator[AsyncSession]:
    async with _own_session(market) as session:
        yield session


async def test_one_document_registered_by_two_deals_at_the_same_instant_loses_no_number(
        market: Market, deals_session: AsyncSession, second_session: AsyncSession) -> None:
    parties = await new_parties(market, "HE", "BJ")
    document = document_hash()
    winner, loser = [(await signed_deal(market, parties, document_sha256=document))["id"]
                     for _ in range(2)]
    day, certificate = date(1991, 3, 1), ("130000", "卖方", "买方")

    async def register(session: AsyncSession, deal_id: str) -> int:
        found = await repository.deal_to_register(session, uuid.UUID(deal_id), None)
        assert found is not None and not found.document_registered
        found.deal.status = "registered"
        registration = await repository.register(session, found.deal, repository.Certificate(
            certificate[0], day, certificate[1], certificate[2]))
        return registration.sequence

    async with deals_session.begin():
        first = await register(deals_session, winner)
        # Both checked "not registered yet"; the loser's statement waits for the winner's
        # commit (on the region's counter row), then takes the next number and meets the
        # winner's document hash: the unique index refuses it and the number goes back.
        async with second_session.begin():
            losing = asyncio.create_task(register(second_session, loser))
            await asyncio.sleep(0.3)
            assert not losing.done()
            await deals_session.commit()
            with pytest.raises(repository.DocumentRegistered):
                await losing
    assert await _sequences(market, "130000", 1991) == [first]
    assert await market.fetchval("deals", "SELECT last_sequence FROM registration_counters "
                                 "WHERE region_code='130000' AND year=1991") == first
