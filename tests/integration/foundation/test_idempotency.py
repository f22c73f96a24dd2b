"""Idempotency-Key on POST: same key + body replays; a different body is 422."""

from __future__ import annotations

import asyncio

from tests.support.data import organization
from tests.support.market import Market, auth


async def test_retry_with_same_key_returns_the_first_answer(market: Market) -> None:
    body = organization()
    headers = {**auth("broker", sub="broker-idem"), "Idempotency-Key": "org-create-1"}
    async with market.client("listings") as client:
        first = await client.post("/organizations", json=body, headers=headers)
        second = await client.post("/organizations", json=body, headers=headers)
        other = await client.post("/organizations", json=organization(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("idempotent-replayed") == "true"
    assert other.status_code == 422
    count = await market.fetchval("listings", "SELECT count(*) FROM organizations WHERE "
                                  "credit_code=$1", body["credit_code"])
    assert count == 1


async def test_concurrent_requests_with_one_key_write_once_and_answer_alike(
        market: Market) -> None:
    body = organization()
    headers = {**auth("broker", sub="broker-idem-race"), "Idempotency-Key": "org-race-1"}
    async with market.client("listings") as client:
        answers = await asyncio.gather(*(client.post("/organizations", json=body,
                                                     headers=headers) for _ in range(12)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 11
    count = await market.fetchval("listings", "SELECT count(*) FROM organizations WHERE "
                                  "credit_code=$1", body["credit_code"])
    assert count == 1


async def test_a_failed_request_keeps_its_key_free(market: Market) -> None:
    headers = {**auth("broker", sub="broker-idem-fail"), "Idempotency-Key": "org-fail-1"}
    taken = organization()
    async with market.client("listings") as client:
        first = await client.post("/organizations", json=taken, headers=auth("operator"))
        # Refused inside the use case, after the key was claimed: the claim rolls back.
        refused = await client.post("/organizations", json=taken, headers=headers)
        # Errors are not stored: the same key with a corrected body succeeds.
        created = await client.post("/organizations", json=organization(), headers=headers)
    assert first.status_code == 201
    assert refused.status_code == 409
    assert created.status_code == 201
    assert created.headers.get("idempotent-replayed") is None
