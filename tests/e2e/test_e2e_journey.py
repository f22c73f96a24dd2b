"""The whole journey end to end over Kafka, through the four services' public APIs."""

from __future__ import annotations

from datetime import date
from typing import Any

from tests.support.journey import Api, run_journey
from tests.support.market import Market, token


def market_api(market: Market) -> Api:
    return Api({s: market.url(s) for s in ("listings", "matching", "deals", "vouchers")})


async def assert_converged(api: Api, journey: dict[str, Any]) -> None:
    """What every user of the market must see once a journey has completed."""
    broker = journey["cast"].broker_token()
    await api.until("listings", f"/offers/{journey['offer_id']}", broker,
                    lambda offer: offer["status"] == "transacted")
    await api.until("listings", f"/needs/{journey['need_id']}", broker,
                    lambda need: need["status"] == "fulfilled")
    certificate = await api.call(
        "GET", "deals",
        f"/registrations/{journey['registration_no']}?code={journey['verification_code']}",
        broker)
    assert certificate["tech_amount_fen"] == 75_000_000
    assert certificate["total_fen"] == 80_000_000


async def test_the_journey_from_offer_to_settled_voucher(market: Market) -> None:
    api = market_api(market)
    try:
        journey = await run_journey(api)
        await assert_converged(api, journey)
        operator_bj = token("operator", "BJ", sub="operator-BJ")
        operator_he = token("operator", "HE", sub="operator-HE")

        flows = await api.call("GET", "deals", f"/stats/flows?year={date.today().year}",
                               operator_bj)
        bj_he = [f for f in flows["flows"] if f["from"] == "BJ" and f["to"] == "HE"]
        assert bj_he and bj_he[0]["count"] >= 1 and bj_he[0]["tech_amount_fen"] >= 75_000_000

        owed = await api.until(
            "vouchers", "/settlements?issuer_region=HE&provider_region=BJ", operator_he,
            lambda page: any(s["provider_org_id"] == journey["cast"].university
                             for s in page["items"]))
        row = next(s for s in owed["items"]
                   if s["provider_org_id"] == journey["cast"].university)
        assert row["owed_fen"] == 12_000_000
        await api.call("POST", "vouchers", f"/settlements/{journey['cast'].university}/pay",
                       operator_he, key=f"{journey['tag']}-pay", json={})
        check = await api.call("GET", "vouchers", "/ledger/check", operator_he)
        assert check == {"ok": True, "violations": []} or (check["ok"] and not check["violations"])
    finally:
        await api.close()
