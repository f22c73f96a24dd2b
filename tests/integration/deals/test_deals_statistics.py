"""GET /stats/flows: the database's GROUP BY against a hand-computed table, and against the
pure reference (tests/support/deals/reference_flows.py) over every counted contract."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.support.deals import TODAY, Parties, new_parties, registered_deal, signed_deal
from tests.support.deals.reference_flows import FlowRecord, flows
from tests.support.market import Market, auth

# (seller region, buyer region, type, total_fen, deducted_fen, what happens after)
FIXTURE = [
    ("BJ", "HE", "transfer.patent", 100_000, 20_000, "registered"),
    ("BJ", "HE", "transfer.patent", 50_000, 0, "completed"),
    ("BJ", "HE", "service.technical", 30_000, 0, "registered"),
    ("BJ", "TJ", "consulting", 5_000, 0, "completed"),
    ("TJ", "HE", "transfer.patent", 200_000, 50_000, "registered"),
    ("HE", "BJ", "development.commissioned", 70_000, 10_000, "registered"),
    ("BJ", "HE", "transfer.patent", 999_000, 0, "terminated"),  # registered, then dropped
]
NOT_COUNTED = [("BJ", "TJ", "consulting", 7_000, 0, "signed")]

HAND_FLOWS = [
    {"from": "BJ", "to": "HE", "count": 3, "total_fen": 180_000, "tech_amount_fen": 160_000},
    {"from": "BJ", "to": "TJ", "count": 1, "total_fen": 5_000, "tech_amount_fen": 5_000},
    {"from": "HE", "to": "BJ", "count": 1, "total_fen": 70_000, "tech_amount_fen": 60_000},
    {"from": "TJ", "to": "HE", "count": 1, "total_fen": 200_000, "tech_amount_fen": 150_000},
]
HAND_BY_TYPE = [
    {"type": "consulting", "count": 1, "total_fen": 5_000, "tech_amount_fen": 5_000},
    {"type": "development.commissioned", "count": 1, "total_fen": 70_000,
     "tech_amount_fen": 60_000},
    {"type": "service.technical", "count": 1, "total_fen": 30_000, "tech_amount_fen": 30_000},
    {"type": "transfer.patent", "count": 3, "total_fen": 350_000, "tech_amount_fen": 280_000},
]
SUBJECTS = {
    "transfer.patent": ("一种高镍三元正极材料的制备方法专利权转让",
                        [{"kind": "patent", "number": "ZL202310123456.7"}]),
    "service.technical": ("锂电池正极材料批次一致性检测技术服务", []),
    "consulting": ("京津冀氢能产业链技术路线技术咨询报告", []),
    "development.commissioned": ("委托开发钢铁烧结烟气脱硝催化剂中试工艺", []),
}
KEYS = ("count", "total_fen", "tech_amount_fen")


async def _stats(market: Market, **params: Any) -> dict[str, Any]:
    async with market.client("deals") as client:
        answer = await client.get("/stats/flows", params={"year": TODAY.year, **params},
                                  headers=auth("operator", "BJ"))
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _minus(after: list[dict], before: list[dict], key: tuple[str, ...]) -> list[dict]:
    """What the fixture added: rows of `after` less the same rows of `before`."""
    earlier = {tuple(r[k] for k in key): r for r in before}
    added = []
    for row in after:
        old = earlier.get(tuple(row[k] for k in key), dict.fromkeys(KEYS, 0))
        delta = {**row, **{k: row[k] - old[k] for k in KEYS}}
        if delta["count"]:
            added.append(delta)
    return added


async def _play(market: Market, parties: dict[tuple[str, str], Parties],
                row: tuple[str, str, str, int, int, str]) -> None:
    seller, buyer, kind, total, deducted, then = row
    subject, ip = SUBJECTS[kind]
    terms = {"type": kind, "total_fen": total, "subject": subject, "ip": ip,
             "deductions": [{"item": "仪器", "kind": "instruments", "amount_fen": deducted}]
             if deducted else []}
    pair = parties[(seller, buyer)]
    if then == "signed":
        await signed_deal(market, pair, **terms)
        return
    deal = await registered_deal(market, pair, **terms)
    action = {"completed": ("complete", None), "terminated": ("terminate", {"reason": "撤销"})}
    if then in action:
        path, body = action[then]
        async with market.client("deals") as client:
            answer = await client.post(f"/deals/{deal['id']}/{path}", json=body,
                                       headers=pair.broker.headers)
        assert answer.status_code == 200, answer.text


async def test_flows_match_a_hand_computed_table(market: Market) -> None:
    routes = {(s, b) for s, b, *_ in FIXTURE + NOT_COUNTED}
    parties = {route: await new_parties(market, *route) for route in routes}
    before = await _stats(market)
    for row in FIXTURE + NOT_COUNTED:
        await _play(market, parties, row)
    after = await _stats(market)
    assert _minus(after["flows"], before["flows"], ("from", "to")) == HAND_FLOWS
    assert _minus(after["by_type"], before["by_type"], ("type",)) == HAND_BY_TYPE


async def test_sql_flows_equal_the_pure_reference(market: Market) -> None:
    await registered_deal(market, await new_parties(market, "TJ", "BJ"))
    rows = await market.fetch(
        "deals", "SELECT r.seller_region, r.buyer_region, r.contract_type, r.total_fen, "
        "r.tech_amount_fen FROM registrations r JOIN deals d ON d.id = r.deal_id "
        "WHERE r.year=$1 AND d.status IN ('registered', 'completed')", TODAY.year)
    records = [FlowRecord(*r) for r in rows]
    answer = await _stats(market)
    assert {k: answer[k] for k in ("flows", "by_type")} == flows(records)
    patents = await _stats(market, type="transfer.patent")
    assert {k: patents[k] for k in ("flows", "by_type")} == flows(
        r for r in records if r.contract_type == "transfer.patent")
    assert Counter(r["type"] for r in patents["by_type"]) == Counter(["transfer.patent"])


async def test_a_year_without_registrations_is_empty(market: Market) -> None:
    assert await _stats(market, year=1999) == {"year": 1999, "type": None, "flows": [],
                                               "by_type": []}
