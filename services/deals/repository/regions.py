"""The region table (GB/T 2260 codes), as the domain's regions."""

from __future__ import annotations

from services.deals.domain.regions import Region
from shared.db import Db

_REGIONS = "SELECT code, short_code, name_zh, name_en FROM regions"


async def all_regions(db: Db) -> list[Region]:
    return [Region(*row) for row in await db.fetch(_REGIONS)]
