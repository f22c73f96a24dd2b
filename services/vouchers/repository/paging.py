"""The WHERE clause of one page of a list: the filters given, and the keyset cursor."""

from __future__ import annotations

import uuid
from typing import Any


def page_filter(filters: dict[str, tuple[str, Any]], *, keyset: str,
                after: tuple[Any, uuid.UUID] | None, limit: int,
                newest_first: bool = False) -> tuple[str, dict[str, Any]]:
    """`filters` maps a parameter name to (column, value); a None value filters nothing.
    `keyset` is the (created_at, id) pair the list is ordered by. One more row than the
    page is fetched, so that page_of can tell whether another page follows."""
    conditions: list[str] = ["TRUE"]
    params: dict[str, Any] = {"limit": limit + 1}
    for name, (column, value) in filters.items():
        if value is not None:
            conditions.append(f"{column} = :{name}")
            params[name] = value
    if after is not None:
        conditions.append(f"{keyset} {'<' if newest_first else '>'} (:created_at, :after_id)")
        params |= {"created_at": after[0], "after_id": after[1]}
    return " AND ".join(conditions), params
