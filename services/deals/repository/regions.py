"""The region table (GB/T 2260 codes), read on the driver like every deal-path query."""

from __future__ import annotations

from services.deals.domain.regions import Region
from shared.legacy_db import Db, driver

_REGIONS = "SELECT code, short_code, name_zh, name_en FROM regions"


async def all_regions(db: Db) -> list[Region]:
    return [Region(*row) for row in await (await driver(db)).fetch(_REGIONS)]
