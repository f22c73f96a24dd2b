"""Flow statistics computed by the database (GROUP BY), over registered contracts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Select, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.deals.models import Deal, Registration


def _sums() -> tuple[Any, ...]:
    return (func.count().label("count"),
            cast(func.sum(Registration.total_fen), BigInteger).label("total_fen"),
            cast(func.sum(Registration.tech_amount_fen), BigInteger).label("tech_amount_fen"))


def _counted(stmt: Select[Any], year: int, statuses: frozenset[str],
             contract_type: str | None) -> Select[Any]:
    stmt = (stmt.join(Deal, Deal.id == Registration.deal_id)
            .where(Registration.year == year, Deal.status.in_(sorted(statuses))))
    if contract_type:
        stmt = stmt.where(Registration.contract_type == contract_type)
    return stmt


async def flows_by_route(session: AsyncSession, year: int, statuses: frozenset[str],
                         contract_type: str | None) -> list[dict[str, Any]]:
    route = (Registration.seller_region, Registration.buyer_region)
    stmt = _counted(select(*route, *_sums()), year, statuses, contract_type)
    rows = await session.execute(stmt.group_by(*route).order_by(*route))
    return [{"from": r.seller_region, "to": r.buyer_region, "count": r.count,
             "total_fen": r.total_fen, "tech_amount_fen": r.tech_amount_fen} for r in rows]


async def flows_by_type(session: AsyncSession, year: int, statuses: frozenset[str],
                        contract_type: str | None) -> list[dict[str, Any]]:
    kind = Registration.contract_type
    stmt = _counted(select(kind, *_sums()), year, statuses, contract_type)
    rows = await session.execute(stmt.group_by(kind).order_by(kind))
    return [{"type": r.contract_type, "count": r.count, "total_fen": r.total_fen,
             "tech_amount_fen": r.tech_amount_fen} for r in rows]
