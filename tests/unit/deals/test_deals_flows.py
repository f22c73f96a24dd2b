"""The reference model of the flow statistics (production computes them in SQL: see
tests/integration/deals/test_deals_statistics.py) against hand-computed totals."""

from tests.support.deals.reference_flows import FlowRecord, flows

# Hand-computed totals below; amounts in fen.
FIXTURE = [
    FlowRecord("BJ", "HE", "transfer.patent", 100_000, 80_000),
    FlowRecord("BJ", "TJ", "consulting", 5_000, 5_000),
    FlowRecord("BJ", "HE", "service.technical", 30_000, 30_000),
    FlowRecord("TJ", "HE", "transfer.patent", 200_000, 150_000),
    FlowRecord("BJ", "HE", "transfer.patent", 50_000, 50_000),
    FlowRecord("HE", "BJ", "development.commissioned", 70_000, 60_000),
]


def test_flows_by_region_pair_are_counted_and_summed():
    assert flows(FIXTURE)["flows"] == [
        {"from": "BJ", "to": "HE", "count": 3, "total_fen": 180_000, "tech_amount_fen": 160_000},
        {"from": "BJ", "to": "TJ", "count": 1, "total_fen": 5_000, "tech_amount_fen": 5_000},
        {"from": "HE", "to": "BJ", "count": 1, "total_fen": 70_000, "tech_amount_fen": 60_000},
        {"from": "TJ", "to": "HE", "count": 1, "total_fen": 200_000, "tech_amount_fen": 150_000},
    ]


def test_flows_by_contract_type_are_counted_and_summed():
    assert flows(FIXTURE)["by_type"] == [
        {"type": "consulting", "count": 1, "total_fen": 5_000, "tech_amount_fen": 5_000},
        {"type": "development.commissioned", "count": 1, "total_fen": 70_000,
         "tech_amount_fen": 60_000},
        {"type": "service.technical", "count": 1, "total_fen": 30_000, "tech_amount_fen": 30_000},
        {"type": "transfer.patent", "count": 3, "total_fen": 350_000, "tech_amount_fen": 280_000},
    ]


def test_the_order_of_contracts_does_not_change_the_result():
    assert flows(reversed(FIXTURE)) == flows(FIXTURE)


def test_both_views_add_up_to_the_same_totals():
    result = flows(FIXTURE)
    for key in ("count", "total_fen", "tech_amount_fen"):
        assert sum(r[key] for r in result["flows"]) == sum(r[key] for r in result["by_type"])


def test_no_contracts_no_rows():
    assert flows([]) == {"flows": [], "by_type": []}
