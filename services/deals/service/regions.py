"""The region table as the domain's RegionBook, cached in the process.

Regions are data (adding one is an INSERT), read by every registration, and change rarely:
the book is loaded once and reloaded whenever a deal names a region it does not hold.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.deals.domain.regions import Region, RegionBook
from shared.regions import load_regions


class RegionCache:
    def __init__(self) -> None:
        self._book: RegionBook | None = None

    async def book(self, session: AsyncSession, *needed: str) -> RegionBook:
        book = self._book
        if book is None or any(book.find(code) is None for code in needed):
            book = RegionBook(Region(r.code, r.short_code, r.name_zh, r.name_en)
                              for r in await load_regions(session))
            self._book = book
        return book


REGIONS = RegionCache()
