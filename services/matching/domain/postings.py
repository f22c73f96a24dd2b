"""Inverted lists: term → the slots containing it, with (field-weighted) term frequency.

Memory is the constraint at 100,000 offers (tens of millions of postings), so each posting
is one unsigned 32-bit integer, slot << 8 | tf, in an array.array per term: 4 bytes a
posting, no Python object per posting. Slots only grow (a replaced listing gets a new
slot), so every list stays sorted by slot, which makes membership a binary search.
tf is capped at 255; BM25 saturates long before that.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from itertools import repeat

import numpy as np
import numpy.typing as npt

MAX_SLOTS = 1 << 24
_TF_BITS = 8
_TF_MASK = (1 << _TF_BITS) - 1
_TYPECODE = "I"
if array(_TYPECODE).itemsize != 4:
    raise ImportError("postings need a 4-byte unsigned array type")

SlotArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float32]
_TF_AS_FLOAT = np.arange(_TF_MASK + 1, dtype=np.float32)
_NO_POSTINGS = array(_TYPECODE)
_COMPACTION_CHUNK_POSTINGS = 1 << 20  # per vectorised compaction pass (4 MB)


class Postings:
    def __init__(self) -> None:
        self._lists: dict[str, array[int]] = {}

    def __len__(self) -> int:
        return len(self._lists)

    def add(self, slot: int, counts: Mapping[str, int]) -> None:
        if slot >= MAX_SLOTS:
            raise OverflowError("too many slots: compact the index")
        base = slot << _TF_BITS
        lists = self._lists
        for term, tf in counts.items():
            posting = base | (tf if tf < _TF_MASK else _TF_MASK)
            try:  # the hot loop of indexing: most terms already have a list
                lists[term].append(posting)
            except KeyError:
                lists[term] = array(_TYPECODE, (posting,))

    def count(self, term: str) -> int:
        """How many slots (dead ones included until compaction) contain the term."""
        found = self._lists.get(term)
        return 0 if found is None else len(found)

    def counts(self, terms: Sequence[str]) -> npt.NDArray[np.intp]:
        """count() of many terms, in one pass at C speed (a long need has hundreds)."""
        found = map(self._lists.get, terms, repeat(_NO_POSTINGS))
        return np.fromiter(map(len, found), dtype=np.intp, count=len(terms))

    def scan(self, term: str) -> tuple[SlotArray, FloatArray] | None:
        """(slots, tf) of every posting of a term, or None when no listing has it."""
        slots, tf, lengths = self.gather([term])
        return (slots, tf) if lengths[0] else None

    def gather(self, terms: Sequence[str]) -> tuple[SlotArray, FloatArray, npt.NDArray[np.intp]]:
        """(slots, tf) of the postings of all the terms, one term's after the other, and how
        many postings each term has (0 when no listing has it): a query's postings as three
        arrays, so scoring them is a few numpy calls instead of a few per term."""
        found = [self._lists.get(term) for term in terms]
        lengths = np.fromiter((0 if f is None else len(f) for f in found), dtype=np.intp,
                              count=len(found))
        packed = np.frombuffer(b"".join(f for f in found if f is not None), dtype=np.uint32)
        return (packed >> _TF_BITS).astype(np.intp), _TF_AS_FLOAT.take(packed & _TF_MASK), lengths

    def contained(self, terms: Sequence[str], slots: SlotArray) -> npt.NDArray[np.bool_]:
        """Matrix [slot, term]: whether each slot holds each term (binary searches)."""
        hits = np.zeros((len(slots), len(terms)), dtype=bool)
        own = slots.astype(np.uint32)
        # The last posting at or below slot << 8 | 255 is the slot's own, if it has one;
        # when there is none before it, index -1 clips to a posting of a later slot.
        keys = (own << _TF_BITS) | _TF_MASK
        for column, term in enumerate(terms):
            found = self._lists.get(term)
            if found is None:
                continue
            packed = np.frombuffer(found, dtype=np.uint32)
            before = packed.searchsorted(keys, side="right") - 1
            hits[:, column] = (packed.take(before, mode="clip") >> _TF_BITS) == own
        return hits

    def compact(self, new_slot: npt.NDArray[np.int64], alive: npt.NDArray[np.bool_]) -> None:
        """Drop postings of dead slots and renumber the others (order is preserved).

        Terms are processed in chunks, each chunk's lists as one numpy array: per-term
        numpy calls would make compaction cost seconds per million distinct terms, while
        the chunking keeps the extra memory to a few copies of one chunk.
        """
        chunk: list[str] = []
        size = 0
        for term in list(self._lists):  # a snapshot: emptied terms leave the dict
            chunk.append(term)
            size += len(self._lists[term])
            if size >= _COMPACTION_CHUNK_POSTINGS:
                self._compact_terms(chunk, new_slot, alive)
                chunk, size = [], 0
        if chunk:
            self._compact_terms(chunk, new_slot, alive)

    def _compact_terms(
        self, terms: list[str], new_slot: npt.NDArray[np.int64], alive: npt.NDArray[np.bool_]
    ) -> None:
        lists = [self._lists[term] for term in terms]
        lengths = np.fromiter(map(len, lists), dtype=np.intp, count=len(lists))
        packed = np.frombuffer(b"".join(lists), dtype=np.uint32)
        slots = packed >> _TF_BITS
        keep = alive[slots]
        # Every list holds at least one posting, so no reduceat segment is empty.
        kept = np.add.reduceat(keep, np.cumsum(lengths) - lengths, dtype=np.intp).tolist()
        renumbered = new_slot[slots[keep]].astype(np.uint32) << _TF_BITS
        survivors = memoryview((renumbered | (packed[keep] & _TF_MASK)).tobytes())
        offset = 0
        for term, count in zip(terms, kept, strict=True):
            if count == 0:
                del self._lists[term]
                continue
            fresh = array(_TYPECODE)
            fresh.frombytes(survivors[4 * offset : 4 * (offset + count)])
            self._lists[term] = fresh
            offset += count

    def nbytes(self) -> int:
        """Approximate memory of the postings themselves (not the dict and term strings)."""
        return sum(64 + 4 * len(found) for found in self._lists.values())
