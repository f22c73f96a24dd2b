"""A certificate answers only to its verification code: registration numbers are
consecutive, and a number alone must not let anyone walk every contract's parties and
amounts. A wrong or missing code is the 404 of an unknown number."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from shared.migrations import create_database, upgrade
from shared.settings import plain_url, with_database
from tests.support.deals import Parties, new_parties, registered_deal
from tests.support.market import Market

HEX20 = re.compile(r"[0-9a-f]{20}")


@pytest.fixture(scope="module")
async def parties(market: Market) -> Parties:
    return await new_parties(market, "TJ", "BJ")


@pytest.fixture(scope="module")
async def registered(market: Market, parties: Parties) -> dict[str, Any]:
    return await registered_deal(market, parties)


def _comparable(answer: Any, number: str) -> tuple[int, str, dict[str, Any]]:
    """The answer with the number it names and its correlation id taken out."""
    body = {k: v for k, v in answer.json().items() if k != "correlation_id"}
    body["detail"] = body["detail"].replace(number, "<no>")
    return answer.status_code, answer.headers["content-type"], body


async def test_the_code_opens_the_certificate(market: Market,
                                              registered: dict[str, Any]) -> None:
    number, code = registered["registration_no"], registered["certificate"]["verification_code"]
    async with market.client("deals") as client:
        answer = await client.get(f"/registrations/{number}", params={"code": code})
    assert answer.status_code == 200, answer.text
    assert answer.json() == registered["certificate"]
    assert HEX20.fullmatch(code)


async def test_a_wrong_or_missing_code_is_an_unknown_number(
        market: Market, registered: dict[str, Any]) -> None:
    number, code = registered["registration_no"], registered["certificate"]["verification_code"]
    unknown = f"{number[:10]}999999"
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    async with market.client("deals") as client:
        answers = {
            "missing": await client.get(f"/registrations/{number}"),
            "empty": await client.get(f"/registrations/{number}", params={"code": ""}),
            "wrong": await client.get(f"/registrations/{number}", params={"code": wrong}),
            "upper case": await client.get(f"/registrations/{number}",
                                           params={"code": code.upper()}),
            "a prefix": await client.get(f"/registrations/{number}",
                                         params={"code": code[:10]}),
            "unknown number": await client.get(f"/registrations/{unknown}",
                                               params={"code": code}),
        }
    seen = {name: _comparable(a, unknown if name == "unknown number" else number)
            for name, a in answers.items()}
    assert {s[0] for s in seen.values()} == {404}
    assert len(set(map(repr, seen.values()))) == 1, seen
    assert code not in str([a.text for a in answers.values()])


async def test_codes_are_random_not_derived_from_the_number(
        market: Market, parties: Parties) -> None:
    deals = [await registered_deal(market, parties) for _ in range(3)]
    codes = [d["certificate"]["verification_code"] for d in deals]
    numbers = [d["registration_no"] for d in deals]
    assert len(set(codes)) == 3 and all(HEX20.fullmatch(c) for c in codes)
    assert not any(n[-6:] in c for n, c in zip(numbers, codes, strict=True))
    stored = {r["registration_no"]: r["verification_code"] for r in await market.fetch(
        "deals", "SELECT registration_no, verification_code FROM registrations "
        "WHERE registration_no = ANY($1::text[])", numbers)}
    assert stored == dict(zip(numbers, codes, strict=True))


@pytest.mark.parametrize("code", ["\x00", "abc\x1b[2J", "a" * 65])
async def test_a_hostile_code_is_refused_by_name(market: Market, registered: dict[str, Any],
                                                 code: str) -> None:
    async with market.client("deals") as client:
        answer = await client.get(f"/registrations/{registered['registration_no']}",
                                  params={"code": code})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in answer.json()["errors"]] == ["code"]


async def test_registrations_made_before_the_codes_get_one(market: Market) -> None:
    """The migration gives every existing registration a random code of its own."""
    url = with_database(market.stack.service_database_url("deals"),
                        f"deals_codes_{uuid.uuid4().hex[:8]}")
    await create_database(url)
    try:
        await _migrate_with_old_registrations(url)
    finally:
        server = await asyncpg.connect(plain_url(market.stack.service_database_url("deals")))
        try:
            await server.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}"')
        finally:
            await server.close()


async def _migrate_with_old_registrations(url: str) -> None:
    await asyncio.to_thread(upgrade, "deals", url, "0003")
    conn = await asyncpg.connect(plain_url(url))
    try:
        for sequence in (1, 2, 3):
            await _old_registration(conn, sequence)
    finally:
        await conn.close()
    await asyncio.to_thread(upgrade, "deals", url, "head")
    conn = await asyncpg.connect(plain_url(url))
    try:
        codes = [r[0] for r in await conn.fetch("SELECT verification_code FROM registrations")]
        nullable = await conn.fetchval(
            "SELECT is_nullable FROM information_schema.columns WHERE table_name = "
            "'registrations' AND column_name = 'verification_code'")
    finally:
        await conn.close()
    assert len(set(codes)) == 3 and all(HEX20.fullmatch(c) for c in codes)
    assert nullable == "NO"


async def _old_registration(conn: asyncpg.Connection, sequence: int) -> None:
    deal_id, seller, buyer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await conn.execute(
        "INSERT INTO deals (id, seller_org_id, buyer_org_id, seller_region, buyer_region, "
        "broker_id, title, status, version, created_at, updated_at) VALUES "
        "($1, $2, $3, 'BJ', 'HE', $4, 'old', 'registered', 1, now(), now())",
        deal_id, seller, buyer, uuid.uuid4())
    await conn.execute(
        "INSERT INTO registrations (registration_no, deal_id, region_code, year, sequence, "
        "registered_on, contract_type, signed_on, total_fen, tech_amount_fen, "
        "document_sha256, seller_org_id, seller_name, seller_region, buyer_org_id, "
        "buyer_name, buyer_region) VALUES ($1, $2, '110000', 2026, $3, $4, 'consulting', $4, "
        "100, 100, $5, $6, 'seller', 'BJ', $7, 'buyer', 'HE')",
        f"1100002026{sequence:06d}", deal_id, sequence, date(2026, 1, 5), uuid.uuid4().hex,
        seller, buyer)
