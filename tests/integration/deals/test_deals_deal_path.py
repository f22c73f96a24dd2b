"""A deal from opening to completion, the transitions it refuses, and its events."""

from __future__ import annotations

import orjson
import pytest

from tests.support.deals import (
    TODAY,
    Parties,
    new_parties,
    open_deal,
    outbox_types,
    registered_deal,
    signed_deal,
)
from tests.support.deals import contract as contract_terms
from tests.support.market import Market


async def _post(market: Market, parties: Parties, path: str,
                body: dict | None = None) -> tuple[int, dict]:
    async with market.client("deals") as client:
        answer = await client.post(path, json=body, headers=parties.broker.headers)
    return answer.status_code, answer.json()


async def test_open_sign_register_complete(market: Market) -> None:
    parties = await new_parties(market, "BJ", "HE")
    deal = await open_deal(market, parties)
    assert deal["status"] == "negotiating" and deal["version"] == 1
    assert (deal["seller_region"], deal["buyer_region"]) == ("BJ", "HE")
    assert deal["broker_id"] == str(parties.broker.broker_id)
    assert deal["contract"] is None and deal["registration_no"] is None

    status, signed = await _post(market, parties, f"/deals/{deal['id']}/contract",
                                 contract_terms())
    assert status == 200 and signed["status"] == "signed" and signed["version"] == 2
    assert signed["contract"]["tech_amount_fen"] == signed["tech_amount_fen"] == 1_000_000

    status, registered = await _post(market, parties, f"/deals/{deal['id']}/registration")
    assert status == 200, registered
    assert registered["status"] == "registered"
    number = registered["registration_no"]
    assert len(number) == 16 and number.startswith(f"110000{TODAY.year}")
    certificate = registered["certificate"]
    assert certificate["registered_on"] == TODAY.isoformat()
    assert (certificate["total_fen"], certificate["tech_amount_fen"]) == (1_200_000, 1_000_000)

    status, completed = await _post(market, parties, f"/deals/{deal['id']}/complete")
    assert status == 200 and completed["status"] == "completed"
    assert await outbox_types(market, deal["id"]) == [
        "deal.opened", "deal.signed", "deal.registered", "deal.completed"]


async def test_signed_and_registered_events_carry_type_amounts_and_regions(
        market: Market) -> None:
    parties = await new_parties(market, "TJ", "BJ")
    deal = await registered_deal(market, parties)
    rows = await market.fetch("deals", "SELECT type, envelope FROM outbox WHERE key=$1 AND "
                              "type IN ('deal.signed','deal.registered') ORDER BY id", deal["id"])
    assert [r["type"] for r in rows] == ["deal.signed", "deal.registered"]
    for row in rows:
        data = orjson.loads(row["envelope"])["data"]
        assert data["contract_type"] == "transfer.patent"
        assert (data["total_fen"], data["tech_amount_fen"]) == (1_200_000, 1_000_000)
        assert (data["seller_region"], data["buyer_region"]) == ("TJ", "BJ")
    registered = orjson.loads(rows[1]["envelope"])["data"]
    assert registered["registration_no"] == deal["registration_no"]
    assert registered["registration_no"].startswith("120000")


async def test_an_illegal_transition_is_409_naming_the_state(market: Market) -> None:
    parties = await new_parties(market)
    deal = await open_deal(market, parties)
    status, problem = await _post(market, parties, f"/deals/{deal['id']}/registration")
    assert status == 409 and "negotiating" in problem["detail"]
    status, problem = await _post(market, parties, f"/deals/{deal['id']}/complete")
    assert status == 409 and "negotiating" in problem["detail"]

    done = await registered_deal(market, parties)
    status, problem = await _post(market, parties, f"/deals/{done['id']}/contract",
                                  contract_terms())
    assert status == 409 and "registered" in problem["detail"]
    status, problem = await _post(market, parties, f"/deals/{done['id']}/registration")
    assert status == 409 and "registered" in problem["detail"]
    await _post(market, parties, f"/deals/{done['id']}/complete")
    status, problem = await _post(market, parties, f"/deals/{done['id']}/terminate",
                                  {"reason": "买方撤资"})
    assert status == 409 and "completed" in problem["detail"]
    assert await outbox_types(market, done["id"]) == [
        "deal.opened", "deal.signed", "deal.registered", "deal.completed"]


@pytest.mark.parametrize("stage", ["negotiating", "signed", "registered"])
async def test_terminate_from_an_open_state(market: Market, stage: str) -> None:
    parties = await new_parties(market)
    make = {"negotiating": open_deal, "signed": signed_deal, "registered": registered_deal}
    deal = await make[stage](market, parties)
    status, ended = await _post(market, parties, f"/deals/{deal['id']}/terminate",
                                {"reason": "  买方预算取消  "})
    assert status == 200 and ended["status"] == "terminated"
    assert ended["termination"]["reason"] == "买方预算取消"
    assert ended["termination"]["previous_status"] == stage
    rows = await market.fetch("deals", "SELECT envelope FROM outbox WHERE key=$1 AND "
                              "type='deal.terminated'", deal["id"])
    data = orjson.loads(rows[0]["envelope"])["data"]
    assert (data["previous_status"], data["reason"]) == (stage, "买方预算取消")


async def test_an_amended_contract_replaces_the_refused_one(market: Market) -> None:
    parties = await new_parties(market)
    deal = await signed_deal(market, parties, document_sha256=None)
    status, refused = await _post(market, parties, f"/deals/{deal['id']}/registration")
    assert status == 422 and refused["errors"][0]["code"] == "missing_documents"
    async with market.client("deals") as client:
        kept = (await client.get(f"/deals/{deal['id']}",
                                 headers=parties.broker.headers)).json()
    assert kept["status"] == "signed"
    assert [e["code"] for e in kept["rejection"]["errors"]] == ["missing_documents"]

    status, amended = await _post(market, parties, f"/deals/{deal['id']}/contract",
                                  contract_terms(total_fen=3_000_000))
    assert status == 200 and amended["rejection"] is None
    assert amended["tech_amount_fen"] == 2_800_000
    status, registered = await _post(market, parties, f"/deals/{deal['id']}/registration")
    assert status == 200 and registered["certificate"]["total_fen"] == 3_000_000
    assert await outbox_types(market, deal["id"]) == [
        "deal.opened", "deal.signed", "deal.registration_rejected", "deal.signed",
        "deal.registered"]
