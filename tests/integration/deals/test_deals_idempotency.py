"""Idempotency-Key on the deals POSTs: a retry returns the first answer, nothing twice."""

from __future__ import annotations

from tests.support.deals import contract, new_parties, outbox_types, signed_deal
from tests.support.market import Market


async def test_a_retried_registration_returns_the_same_number(market: Market) -> None:
    parties = await new_parties(market)
    deal = await signed_deal(market, parties)
    headers = {**parties.broker.headers, "Idempotency-Key": f"register-{deal['id']}"}
    async with market.client("deals") as client:
        first = await client.post(f"/deals/{deal['id']}/registration", headers=headers)
        retry = await client.post(f"/deals/{deal['id']}/registration", headers=headers)
        without_key = await client.post(f"/deals/{deal['id']}/registration",
                                         headers=parties.broker.headers)
    assert first.status_code == retry.status_code == 200
    assert retry.json()["registration_no"] == first.json()["registration_no"]
    assert retry.json() == first.json()
    assert retry.headers.get("idempotent-replayed") == "true"
    assert without_key.status_code == 409  # a new attempt, not a retry: already registered
    assert await market.fetchval("deals", "SELECT count(*) FROM registrations WHERE "
                                 "deal_id=$1::uuid", deal["id"]) == 1
    assert (await outbox_types(market, deal["id"])).count("deal.registered") == 1


async def test_a_retried_refusal_is_the_same_refusal_recorded_once(market: Market) -> None:
    parties = await new_parties(market)
    deal = await signed_deal(market, parties, ip=[])
    headers = {**parties.broker.headers, "Idempotency-Key": f"refused-{deal['id']}"}
    async with market.client("deals") as client:
        first = await client.post(f"/deals/{deal['id']}/registration", headers=headers)
        retry = await client.post(f"/deals/{deal['id']}/registration", headers=headers)
    assert first.status_code == retry.status_code == 422
    assert retry.json() == first.json()
    assert retry.headers["content-type"].startswith("application/problem+json")
    assert (await outbox_types(market, deal["id"])).count("deal.registration_rejected") == 1


async def test_a_retried_opening_opens_one_deal(market: Market) -> None:
    parties = await new_parties(market)
    headers = {**parties.broker.headers, "Idempotency-Key": "open-once"}
    async with market.client("deals") as client:
        first = await client.post("/deals", json=parties.deal(), headers=headers)
        retry = await client.post("/deals", json=parties.deal(), headers=headers)
        other = await client.post("/deals", json=parties.deal(title="另一笔交易"),
                                  headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.json()["id"] == first.json()["id"]
    assert other.status_code == 422 and other.json()["errors"][0]["code"] == "key_reused"
    assert await market.fetchval("deals", "SELECT count(*) FROM deals WHERE seller_org_id=$1",
                                 parties.seller) == 1


async def test_a_retried_contract_is_attached_once(market: Market) -> None:
    parties = await new_parties(market)
    deal = await signed_deal(market, parties)
    terms = contract(total_fen=5_000_000)
    headers = {**parties.broker.headers, "Idempotency-Key": f"amend-{deal['id']}"}
    async with market.client("deals") as client:
        first = await client.post(f"/deals/{deal['id']}/contract", json=terms, headers=headers)
        retry = await client.post(f"/deals/{deal['id']}/contract", json=terms, headers=headers)
    assert retry.json() == first.json() and first.json()["version"] == 3
    assert (await outbox_types(market, deal["id"])).count("deal.signed") == 2
