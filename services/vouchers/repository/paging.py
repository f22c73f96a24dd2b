"""The WHERE clause of one page of a list: the filters given, and the keyset cursor."""

from __future__ import annotations

import uuid
from typing import Any


def page_filter(filters: tuple[tuple[str, Any], ...], *, keyset: str,
                after: tuple[Any, uuid.UUID] | None, limit: int,
                newest_first: bool = False) -> tuple[str, list[Any]]:
    """`filters` are (column, value) pairs, the columns the repository's own constants; a
    None value filters nothing. `keyset` is the (created_at, id) pair the list is ordered
    by. The arguments come back in order: $1 is the LIMIT, one more row than the page, so
    that page_of can tell whether another page follows; the text names only `$n`
    parameters, never a value."""
    conditions: list[str] = ["TRUE"]
    args: list[Any] = [limit + 1]
    for column, value in filters:
        if value is not None:
            args.append(value)
            conditions.append(f"{column} = ${len(args)}")
    if after is not None:
        args += [after[0], after[1]]
        conditions.append(f"{keyset} {'<' if newest_first else '>'} "
                          f"(${len(args) - 1}, ${len(args)})")
    return " AND ".join(conditions), args
