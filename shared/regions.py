"""Regions are data (a table in every service database), seeded with the three of 京津冀.

Adding a region is an INSERT into `regions`; code asks the table, never this list, except the
first migration which seeds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.db import Db


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


_COLUMNS = "code, short_code, name_zh, name_en"


async def load_regions(db: Db) -> list[Region]:
    return [Region(*row) for row in await db.fetch(f"SELECT {_COLUMNS} FROM regions")]


async def resolve_region(db: Db, given: str) -> Region | None:
    """A region by short code (BJ) or GB/T 2260 code (110000); None when unknown."""
    value = given.strip().upper()
    row = await db.fetchrow(
        f"SELECT {_COLUMNS} FROM regions WHERE short_code = $1 OR code = $1", value)
    return Region(*row) if row else None

