"""The region table as the domain's RegionBook, cached in the process.

Regions are data (adding one is an INSERT), read by every registration, and change rarely:
the book is loaded once and reloaded whenever a deal names a region it does not hold.
"""

from __future__ import annotations

from services.deals import repository
from services.deals.domain.regions import RegionBook
from shared.db import Db


class RegionCache:
    def __init__(self) -> None:
        self._book: RegionBook | None = None

    async def book(self, db: Db, *needed: str) -> RegionBook:
        book = self._book
        if book is None or any(book.find(code) is None for code in needed):
            book = RegionBook(await repository.all_regions(db))
            self._book = book
        return book


REGIONS = RegionCache()
