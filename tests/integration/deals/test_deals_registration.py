"""Registration through the API: every reason code, all failures at once, the deal staying
signed, the seller's region numbering, and a contract registered once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import orjson
import pytest

from tests.support.deals import (
    TODAY,
    Parties,
    contract,
    new_parties,
    outbox_types,
    registered_deal,
    signed_deal,
)
from tests.support.market import Market

PAST = (TODAY - timedelta(days=1)).isoformat()

# One bend of a registrable contract per reason code, and the codes it must produce.
CASES: dict[str, tuple[dict[str, Any], set[str]]] = {
    "empty subject": ({"subject": ""}, {"unclear_subject"}),
    "placeholder subject": ({"subject": "技术服务"}, {"unclear_subject"}),
    "deductions above the total": (
        {"deductions": [{"item": "设备", "kind": "equipment", "amount_fen": 1_300_000}]},
        {"unclear_price"}),
    "a deduction that is not deductible": (
        {"deductions": [{"item": "差旅", "kind": "travel", "amount_fen": 1_000}]},
        {"unclear_price"}),
    "total of zero": ({"total_fen": 0, "deductions": []}, {"unclear_price"}),
    "expired contract": ({"valid_until": PAST}, {"not_in_force"}),
    "signed in the future": ({"signed_on": (TODAY + timedelta(days=3)).isoformat()},
                             {"not_in_force"}),
    "patent transfer without IP": ({"ip": []}, {"missing_ip"}),
    "software copyright in a patent transfer": (
        {"ip": [{"kind": "software_copyright", "number": "2023SR0123456"}]},
        {"missing_ip", "type_mismatch"}),
    "oral contract": ({"document_sha256": None}, {"missing_documents"}),
    "not a SHA-256": ({"document_sha256": "abc123"}, {"missing_documents"}),
}


async def _register(market: Market, parties: Parties, deal: dict) -> Any:
    async with market.client("deals") as client:
        return await client.post(f"/deals/{deal['id']}/registration",
                                 headers=parties.broker.headers)


@pytest.fixture(scope="module")
async def parties(market: Market) -> Parties:
    return await new_parties(market, "BJ", "TJ")


@pytest.mark.parametrize("case", sorted(CASES))
async def test_each_reason_code(market: Market, parties: Parties, case: str) -> None:
    changes, expected = CASES[case]
    deal = await signed_deal(market, parties, **changes)
    answer = await _register(market, parties, deal)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    errors = answer.json()["errors"]
    assert {e["code"] for e in errors} == expected
    assert all(e["field"] and e["message"] for e in errors)


async def test_every_failure_is_reported_at_once_and_the_deal_stays_signed(
        market: Market, parties: Parties) -> None:
    deal = await signed_deal(market, parties, subject="", valid_until=PAST, ip=[],
                             document_sha256=None, deductions=[
                                 {"item": "设备", "kind": "equipment", "amount_fen": 9_999_999}])
    answer = await _register(market, parties, deal)
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert {e["code"] for e in errors} == {"unclear_subject", "unclear_price", "not_in_force",
                                           "missing_ip", "missing_documents"}
    assert {e["field"] for e in errors} >= {"subject", "deductions", "valid_until", "ip",
                                            "document_sha256"}
    row = await market.fetch("deals", "SELECT status, rejection FROM deals WHERE id=$1::uuid",
                             deal["id"])
    assert row[0]["status"] == "signed"
    assert orjson.loads(row[0]["rejection"])["errors"] == errors
    assert await market.fetchval("deals", "SELECT count(*) FROM registrations WHERE "
                                 "deal_id=$1::uuid", deal["id"]) == 0
    event = await market.fetch("deals", "SELECT envelope FROM outbox WHERE key=$1 AND "
                               "type='deal.registration_rejected'", deal["id"])
    assert orjson.loads(event[0]["envelope"])["data"]["errors"] == errors


async def test_a_written_contract_is_registered_once(market: Market, parties: Parties) -> None:
    first = await registered_deal(market, parties)
    document = await market.fetchval("deals", "SELECT document_sha256 FROM registrations "
                                     "WHERE registration_no=$1", first["registration_no"])
    again = await signed_deal(market, parties, document_sha256=document.upper())
    answer = await _register(market, parties, again)
    assert answer.status_code == 422
    assert [e["code"] for e in answer.json()["errors"]] == ["already_registered"]


async def test_the_number_is_of_the_sellers_region_and_gap_free(market: Market) -> None:
    for region, code in (("HE", "130000"), ("TJ", "120000")):
        parties = await new_parties(market, region, "BJ")
        deal = await registered_deal(market, parties)
        number = deal["registration_no"]
        assert number[:6] == code and number[6:10] == str(TODAY.year)
        sequences = [r["sequence"] for r in await market.fetch(
            "deals", "SELECT sequence FROM registrations WHERE region_code=$1 AND year=$2 "
            "ORDER BY sequence", code, TODAY.year)]
        assert sequences == list(range(1, len(sequences) + 1))
        assert int(number[10:]) in sequences


async def test_refusals_and_registration_emit_their_events(market: Market,
                                                           parties: Parties) -> None:
    deal = await signed_deal(market, parties, ip=[])
    assert (await _register(market, parties, deal)).status_code == 422
    async with market.client("deals") as client:
        await client.post(f"/deals/{deal['id']}/contract", json=contract(),
                          headers=parties.broker.headers)
    assert (await _register(market, parties, deal)).status_code == 200
    assert await outbox_types(market, deal["id"]) == [
        "deal.opened", "deal.signed", "deal.registration_rejected", "deal.signed",
        "deal.registered"]
