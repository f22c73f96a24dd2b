"""Reference model of the flow statistics: where registered technology goes, and of which type.

Production computes GET /stats/flows in SQL alone (GROUP BY in
services/deals/repository/statistics.py): that is the source of truth. This pure version,
never run by the service, is what tests/integration/deals/test_deals_statistics.py compares
it against. Rows are ordered by their keys so equal inputs give equal outputs, whatever
order the contracts came in.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict


@dataclass(frozen=True)
class FlowRecord:
    seller_region: str  # short code, e.g. BJ
    buyer_region: str
    contract_type: str
    total_fen: int
    tech_amount_fen: int


FlowRow = TypedDict(
    "FlowRow",
    {"from": str, "to": str, "count": int, "total_fen": int, "tech_amount_fen": int},
)


class TypeRow(TypedDict):
    type: str
    count: int
    total_fen: int
    tech_amount_fen: int


class FlowStatistics(TypedDict):
    flows: list[FlowRow]
    by_type: list[TypeRow]


_Sums = dict[str, int]


def flows(contracts: Iterable[FlowRecord]) -> FlowStatistics:
    """Count and sum the given contracts by seller → buyer region and by contract type.

    The caller chooses which contracts count (registered and completed deals, a year, a type).
    """
    by_route: dict[tuple[str, str], _Sums] = {}
    by_type: dict[str, _Sums] = {}
    for contract in contracts:
        _add(by_route.setdefault((contract.seller_region, contract.buyer_region), _zero()),
             contract)
        _add(by_type.setdefault(contract.contract_type, _zero()), contract)
    return {
        "flows": [_flow_row(route, sums) for route, sums in sorted(by_route.items())],
        "by_type": [_type_row(code, sums) for code, sums in sorted(by_type.items())],
    }


def _zero() -> _Sums:
    return {"count": 0, "total_fen": 0, "tech_amount_fen": 0}


def _add(sums: _Sums, contract: FlowRecord) -> None:
    sums["count"] += 1
    sums["total_fen"] += contract.total_fen
    sums["tech_amount_fen"] += contract.tech_amount_fen


def _flow_row(route: tuple[str, str], sums: _Sums) -> FlowRow:
    return {
        "from": route[0],
        "to": route[1],
        "count": sums["count"],
        "total_fen": sums["total_fen"],
        "tech_amount_fen": sums["tech_amount_fen"],
    }


def _type_row(code: str, sums: _Sums) -> TypeRow:
    return {
        "type": code,
        "count": sums["count"],
        "total_fen": sums["total_fen"],
        "tech_amount_fen": sums["tech_amount_fen"],
    }
