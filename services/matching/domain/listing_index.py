"""One kind of listing (offers or needs): text index + structured columns + id ↔ slot.

Listings are published, updated and withdrawn all the time. An update is a remove plus
an add under a fresh slot; removed slots are reclaimed by compaction once they make up a
quarter of the index, so memory and IDF staleness stay bounded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import numpy.typing as npt

from .columns import Columns
from .text_index import TextIndex

# Compact when dead slots exceed this share of all slots.
DEAD_SHARE_BEFORE_COMPACTION = 0.25


class ListingIndex:
    def __init__(self, dtypes: Mapping[str, npt.DTypeLike]) -> None:
        self.text = TextIndex()
        self.columns = Columns(dtypes)
        self._slot_by_id: dict[str, int] = {}
        self._id_by_slot: list[str | None] = []

    def __len__(self) -> int:
        return len(self._slot_by_id)

    def __contains__(self, listing_id: object) -> bool:
        return listing_id in self._slot_by_id

    def put(
        self,
        listing_id: str,
        fields: Mapping[str, Counter[str]],
        row: Mapping[str, float | int | bool],
    ) -> None:
        """Add a listing, or replace the one indexed under the same id."""
        self.remove(listing_id)
        slot = self.text.add(fields)
        self.columns.append(row)
        self._slot_by_id[listing_id] = slot
        self._id_by_slot.append(listing_id)

    def remove(self, listing_id: str) -> bool:
        """Forget a listing; it never appears in results again. False if it was unknown."""
        slot = self._slot_by_id.pop(listing_id, None)
        if slot is None:
            return False
        self.text.remove(slot)
        self._id_by_slot[slot] = None
        if self._dead_share() > DEAD_SHARE_BEFORE_COMPACTION:
            self.compact()
        return True

    def id_of(self, slot: int) -> str:
        listing_id = self._id_by_slot[slot]
        if listing_id is None:
            raise KeyError(f"slot {slot} holds a removed listing")
        return listing_id

    def compact(self) -> None:
        kept = self.text.compact()
        self.columns.keep(kept)
        self._id_by_slot = [i for i, keep in zip(self._id_by_slot, kept, strict=True) if keep]
        self._slot_by_id = {i: s for s, i in enumerate(self._id_by_slot) if i is not None}

    def nbytes(self) -> int:
        return self.text.nbytes() + self.columns.nbytes()

    def _dead_share(self) -> float:
        slots = self.text.slot_count
        return 0.0 if slots == 0 else (slots - self.text.live_count) / slots
