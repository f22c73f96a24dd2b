"""Flow statistics computed by the database (GROUP BY), over registered contracts.

The figures are the SQL's: tests/support/deals/reference_flows.py is the pure-Python
reference the tests compare them against.
"""

from __future__ import annotations

from typing import Any

from shared.db import Db

_SUMS = """count(*) AS count, sum(r.total_fen)::bigint AS total_fen,
    sum(r.tech_amount_fen)::bigint AS tech_amount_fen"""
# Contracts registered in a year whose deal is in one of the counted statuses, of any type
# ($3 NULL) or of one.
_COUNTED = """FROM registrations r JOIN deals d ON d.id = r.deal_id
    WHERE r.year = $1 AND d.status = ANY($2::varchar[])
        AND ($3::varchar IS NULL OR r.contract_type = $3)"""
_BY_ROUTE = f"""SELECT r.seller_region, r.buyer_region, {_SUMS} {_COUNTED}
    GROUP BY r.seller_region, r.buyer_region ORDER BY r.seller_region, r.buyer_region"""
_BY_TYPE = f"""SELECT r.contract_type, {_SUMS} {_COUNTED}
    GROUP BY r.contract_type ORDER BY r.contract_type"""


async def flows_by_route(db: Db, year: int, statuses: frozenset[str],
                         contract_type: str | None) -> list[dict[str, Any]]:
    rows = await db.fetch(_BY_ROUTE, year, sorted(statuses), contract_type)
    return [{"from": r["seller_region"], "to": r["buyer_region"], "count": r["count"],
             "total_fen": r["total_fen"], "tech_amount_fen": r["tech_amount_fen"]}
            for r in rows]


async def flows_by_type(db: Db, year: int, statuses: frozenset[str],
                        contract_type: str | None) -> list[dict[str, Any]]:
    rows = await db.fetch(_BY_TYPE, year, sorted(statuses), contract_type)
    return [{"type": r["contract_type"], "count": r["count"], "total_fen": r["total_fen"],
             "tech_amount_fen": r["tech_amount_fen"]} for r in rows]
