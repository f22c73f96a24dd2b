"""Idempotency-Key on POST: same key + body replays; a different body is 422."""

from __future__ import annotations

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
