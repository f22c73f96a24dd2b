"""Registration numbers stay gap-free per region and year, and are never handed out twice,
under concurrent registrations, refusals and transactions that roll back; each is the
reference formatting of its parts (tests/support/deals/reference_registration_no.py)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import pytest

from services.deals import repository
from services.deals.domain import new_verification_code
from shared.db import Database, Db
from tests.support.deals import TODAY, Parties, document_hash, new_parties, signed_deal
from tests.support.deals.reference_registration_no import format_registration_no
from tests.support.market import Market

REGION_CODES = {"BJ": "110000", "TJ": "120000"}


async def _sequences(market: Market, region_code: str, year: int) -> list[int]:
    rows = await market.fetch("deals", "SELECT sequence FROM registrations WHERE region_code=$1 "
                              "AND year=$2 ORDER BY sequence", region_code, year)
    return [r["sequence"] for r in rows]


async def _register_through_api(market: Market, parties: Parties,
                                deal_id: str) -> tuple[int, dict]:
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

    answers = await asyncio.gather(*(_register_through_api(market, p, d) for _, p, d in work))

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
    made = await market.fetch("deals", "SELECT registration_no, region_code, year, sequence "
                              "FROM registrations WHERE deal_id = ANY($1::uuid[])",
                              [d for _, _, d in work])
    assert all(r["registration_no"] == format_registration_no(
        r["region_code"], r["year"], r["sequence"]) for r in made)


class RolledBack(Exception):
    """Raised to end a unit of work without committing it."""


@asynccontextmanager
async def _own_database(market: Market) -> AsyncIterator[Database]:
    """The deals database through a pool of the test's own (connections of its own)."""
    database = await Database.open(market.stack.service_database_url("deals"), size=2)
    try:
        yield database
    finally:
        await database.close()


@pytest.fixture
async def deals_database(market: Market) -> AsyncIterator[Database]:
    async with _own_database(market) as database:
        yield database


async def _register(db: Db, deal_id: str, registered_on: date,
                    certificate: tuple[str, str, str] = ("130000", "卖方", "买方")) -> int:
    """The registration statement of the use case, in the caller's unit of work."""
    found = await repository.deal_to_register(db, uuid.UUID(deal_id), None)
    assert found is not None and not found.document_registered
    found.deal.status = "registered"
    registration = await repository.register(db, found.deal, repository.Certificate(
        certificate[0], registered_on, certificate[1], certificate[2],
        new_verification_code()))
    return registration.sequence


async def _register_directly(database: Database, deal_id: str, registered_on: date,
                             *, roll_back: bool) -> int:
    """Register in a unit of the test's own; `roll_back` ends it without committing, as when
    the event, the Idempotency-Key answer or the commit fails."""
    sequence = 0
    try:
        async with database.unit() as db:
            sequence = await _register(db, deal_id, registered_on)
            if roll_back:
                raise RolledBack()
    except RolledBack:
        pass
    return sequence


async def test_a_registration_rolled_back_after_its_number_gives_the_number_back(
        market: Market, deals_database: Database) -> None:
    parties = await new_parties(market, "HE", "BJ")
    first, second = [(await signed_deal(market, parties))["id"] for _ in range(2)]
    # A year nobody registers in, so the test owns the counter row.
    day = date(1990, 6, 1)
    taken = await _register_directly(deals_database, first, day, roll_back=False)
    tried = await _register_directly(deals_database, second, day, roll_back=True)
    again = await _register_directly(deals_database, second, day, roll_back=False)
    assert tried == again == taken + 1
    assert await _sequences(market, "130000", 1990) == [taken, again]
    assert await market.fetchval("deals", "SELECT last_sequence FROM registration_counters "
                                 "WHERE region_code='130000' AND year=1990") == again


@pytest.fixture
async def second_database(market: Market) -> AsyncIterator[Database]:
    async with _own_database(market) as database:
        yield database


async def test_one_document_registered_by_two_deals_at_the_same_instant_loses_no_number(
        market: Market, deals_database: Database, second_database: Database) -> None:
    parties = await new_parties(market, "HE", "BJ")
    document = document_hash()
    winner, loser = [(await signed_deal(market, parties, document_sha256=document))["id"]
                     for _ in range(2)]
    day = date(1991, 3, 1)

    # Both checked "not registered yet"; the loser's statement waits for the winner's
    # commit (on the region's counter row), then takes the next number and meets the
    # winner's document hash: the unique index refuses it and the number goes back.
    with pytest.raises(repository.DocumentRegistered):
        async with second_database.unit() as second_db:
            async with deals_database.unit() as first_db:
                first = await _register(first_db, winner, day)
                losing = asyncio.create_task(_register(second_db, loser, day))
                await asyncio.sleep(0.3)
                assert not losing.done()
            # the winner's unit has committed
            await losing
    assert await _sequences(market, "130000", 1991) == [first]
    assert await market.fetchval("deals", "SELECT last_sequence FROM registration_counters "
                                 "WHERE region_code='130000' AND year=1991") == first
