"""The 2026 rules: technology amounts of 5,000,000 RMB or more, in contracts signed from
2026-03-01, wait for an operator of the seller's region."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.support.deals import TODAY, Parties, new_parties, outbox_types, signed_deal
from tests.support.market import Market, auth

FIVE_MILLION_RMB = 500_000_000  # fen


async def _register(market: Market, parties: Parties, deal_id: str) -> dict:
    async with market.client("deals") as client:
        answer = await client.post(f"/deals/{deal_id}/registration",
                                   headers=parties.broker.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def _review(market: Market, deal_id: str, region: str, body: dict,
                  role: str = "operator") -> tuple[int, dict]:
    async with market.client("deals") as client:
        answer = await client.post(f"/deals/{deal_id}/review", json=body,
                                   headers=auth(role, region))
    return answer.status_code, answer.json()


@pytest.fixture(scope="module")
async def parties(market: Market) -> Parties:
    return await new_parties(market, "HE", "BJ")


@pytest.mark.parametrize(("tech_amount_fen", "expected"), [
    (FIVE_MILLION_RMB - 1, "registered"),
    (FIVE_MILLION_RMB, "expert_review"),
])
async def test_the_threshold_is_on_the_technology_amount(
        market: Market, parties: Parties, tech_amount_fen: int, expected: str) -> None:
    deal = await signed_deal(market, parties, total_fen=tech_amount_fen + 3_000_000,
                             deductions=[{"item": "检测仪器", "kind": "instruments",
                                          "amount_fen": 3_000_000}])
    outcome = await _register(market, parties, deal["id"])
    assert outcome["status"] == expected
    assert (outcome["registration_no"] is None) == (expected == "expert_review")


async def test_contracts_signed_before_the_2026_rules_register_at_once(
        market: Market, parties: Parties) -> None:
    signed = date(2026, 2, 27)
    assert TODAY >= date(2026, 3, 1)  # the rule set is chosen by the signing date
    deal = await signed_deal(market, parties, signed_on=signed.isoformat(),
                             valid_from=signed.isoformat(), total_fen=2 * FIVE_MILLION_RMB,
                             deductions=[])
    assert (await _register(market, parties, deal["id"]))["status"] == "registered"


async def test_an_operator_of_the_sellers_region_approves(market: Market,
                                                          parties: Parties) -> None:
    deal = await signed_deal(market, parties, total_fen=3 * FIVE_MILLION_RMB, deductions=[])
    assert (await _register(market, parties, deal["id"]))["status"] == "expert_review"
    approve = {"decision": "approve"}
    assert (await _review(market, deal["id"], "BJ", approve))[0] == 403  # buyer's region
    assert (await _review(market, deal["id"], "HE", approve, role="broker"))[0] == 403
    status, approved = await _review(market, deal["id"], "HE", approve)
    assert status == 200 and approved["status"] == "registered"
    assert approved["registration_no"].startswith(f"130000{TODAY.year}")
    assert approved["review"]["decision"] == "approve"
    assert (await _review(market, deal["id"], "HE", approve))[0] == 409
    assert await outbox_types(market, deal["id"]) == [
        "deal.opened", "deal.signed", "deal.in_expert_review", "deal.registered"]


async def test_a_rejection_returns_the_deal_to_signed_with_the_reason(
        market: Market, parties: Parties) -> None:
    deal = await signed_deal(market, parties, total_fen=2 * FIVE_MILLION_RMB, deductions=[])
    await _register(market, parties, deal["id"])
    status, rejected = await _review(market, deal["id"], "HE",
                                     {"decision": "reject", "reason": "技术交易额依据不足"})
    assert status == 200 and rejected["status"] == "signed"
    assert rejected["rejection"]["errors"] == [{
        "field": "review", "code": "rejected_in_review", "message": "技术交易额依据不足"}]
    assert (await _register(market, parties, deal["id"]))["status"] == "expert_review"
    assert await outbox_types(market, deal["id"]) == [
        "deal.opened", "deal.signed", "deal.in_expert_review", "deal.registration_rejected",
        "deal.in_expert_review"]


async def test_review_of_a_deal_not_in_review_is_409(market: Market, parties: Parties) -> None:
    deal = await signed_deal(market, parties)
    status, problem = await _review(market, deal["id"], "HE", {"decision": "approve"})
    assert status == 409 and "signed" in problem["detail"]


async def test_expert_review_sets_no_number_aside(market: Market, parties: Parties) -> None:
    before = await market.fetchval("deals", "SELECT coalesce(max(last_sequence), 0) FROM "
                                   "registration_counters WHERE region_code='130000' AND "
                                   "year=$1", TODAY.year)
    deal = await signed_deal(market, parties, total_fen=FIVE_MILLION_RMB + 1, deductions=[],
                             valid_until=(TODAY + timedelta(days=30)).isoformat())
    await _register(market, parties, deal["id"])
    after = await market.fetchval("deals", "SELECT coalesce(max(last_sequence), 0) FROM "
                                  "registration_counters WHERE region_code='130000' AND "
                                  "year=$1", TODAY.year)
    assert after == before
