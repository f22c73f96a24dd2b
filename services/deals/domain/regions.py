"""Regions as the deals domain sees them: a read-only book looked up by either code.

The region table lives in the database (adding a region is data, not code); callers build a
RegionBook from its rows. JINGJINJI is the founding three, handy for tests and defaults.
"""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    code: str  # GB/T 2260, six digits, e.g. 110000
    short: str  # e.g. BJ
    name_zh: str
    name_en: str


class RegionBook:
    """Finds a region by GB/T 2260 code or short code, the two forms the API accepts."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._by_key: dict[str, Region] = {}
        for region in regions:
            self._by_key[region.code] = region
            self._by_key[region.short.upper()] = region

    def find(self, code_or_short: str | None) -> Region | None:
        if not code_or_short:
            return None
        return self._by_key.get(code_or_short.strip().upper())


JINGJINJI = RegionBook(
    (
        Region("110000", "BJ", "北京市", "Beijing"),
        Region("120000", "TJ", "天津市", "Tianjin"),
        Region("130000", "HE", "河北省", "Hebei"),
    )
)
