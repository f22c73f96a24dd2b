"""Regions are data (a table in every service database), seeded with the three of 京津冀.

Adding a region is an INSERT into `regions`; code asks the table, never this list, except the
first migration which seeds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from shared.tables import regions


@dataclass(frozen=True)
class Region:
    code: str
    short_code: str
    name_zh: str
    name_en: str


SEED_REGIONS = (
    Region("110000", "BJ", "北京市", "Beijing"),
    Region("120000", "TJ", "天津市", "Tianjin"),
    Region("130000", "HE", "河北省", "Hebei"),
)


async def load_regions(session: AsyncSession) -> list[Region]:
    rows = (await session.execute(select(regions))).mappings().all()
    return [Region(r["code"], r["short_code"], r["name_zh"], r["name_en"]) for r in rows]


async def resolve_region(session: AsyncSession, given: str) -> Region | None:
    """A region by short code (BJ) or GB/T 2260 code (110000); None when unknown."""
    value = given.strip().upper()
    stmt = select(regions).where((regions.c.short_code == value) | (regions.c.code == value))
    row = (await session.execute(stmt)).mappings().first()
    return Region(row["code"], row["short_code"], row["name_zh"], row["name_en"]) if row else None
