"""Queries on registrations and the per-region, per-year registration counters."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.deals.models import Deal, Registration, RegistrationCounter


def _allocate() -> Any:
    counter = RegistrationCounter
    stmt = insert(counter).values(region_code=bindparam("region_code"), year=bindparam("year"),
                                  last_sequence=1)
    return stmt.on_conflict_do_update(
        index_elements=[counter.region_code, counter.year],
        set_={"last_sequence": counter.last_sequence + 1},
    ).returning(counter.last_sequence)


_ALLOCATE = _allocate()


async def next_sequence(session: AsyncSession, region_code: str, year: int) -> int:
    """The next registration sequence of a registry region and year.

    The counter row stays locked until this transaction ends, and is rolled back with it:
    concurrent registrations of a region queue here, and a failed one leaves no gap.
    """
    result = await session.execute(_ALLOCATE, {"region_code": region_code, "year": year})
    return int(result.scalar_one())


async def registration_by_no(session: AsyncSession,
                             registration_no: str) -> tuple[Registration, str] | None:
    """A registration and the current status of its deal."""
    stmt = (select(Registration, Deal.status)
            .join(Deal, Deal.id == Registration.deal_id)
            .where(Registration.registration_no == registration_no))
    row = (await session.execute(stmt)).first()
    return (row[0], row[1]) if row else None
