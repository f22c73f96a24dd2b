"""Growable numpy columns, one row per index slot.

Per-listing numbers (field lengths, TRL, price, region...) live in numpy arrays indexed
by slot, so a query can score or filter every candidate in one vectorised step instead
of a Python loop over listings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

_INITIAL_CAPACITY = 1024


class Columns:
    """Named numpy columns sharing one row count; rows are appended, never inserted."""

    def __init__(self, dtypes: Mapping[str, npt.DTypeLike]) -> None:
        self._dtypes = {name: np.dtype(dtype) for name, dtype in dtypes.items()}
        self._data = {n: np.zeros(_INITIAL_CAPACITY, d) for n, d in self._dtypes.items()}
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._dtypes)

    def append(self, values: Mapping[str, float | int | bool]) -> int:
        """Add one row (missing columns are zero) and return its row number."""
        row = self._rows
        if row == len(next(iter(self._data.values()))):
            self._grow()
        for name, value in values.items():
            self._data[name][row] = value
        self._rows += 1
        return row

    def __getitem__(self, name: str) -> npt.NDArray[Any]:
        """The live part of a column (a view: writes go through)."""
        return self._data[name][: self._rows]

    def keep(self, mask: npt.NDArray[np.bool_]) -> None:
        """Drop the rows where mask is False, preserving order (used by compaction)."""
        kept = int(mask.sum())
        capacity = max(_INITIAL_CAPACITY, kept * 2)
        for name, column in self._data.items():
            fresh = np.zeros(capacity, self._dtypes[name])
            fresh[:kept] = column[: self._rows][mask]
            self._data[name] = fresh
        self._rows = kept

    def nbytes(self) -> int:
        return sum(column.nbytes for column in self._data.values())

    def _grow(self) -> None:
        for name, column in self._data.items():
            bigger = np.zeros(len(column) * 2, column.dtype)
            bigger[: len(column)] = column
            self._data[name] = bigger
