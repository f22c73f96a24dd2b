"""Cursor pagination: `?limit=` (1..200, default 20) and an opaque `?cursor=`."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson
from fastapi import Query

from shared.errors import FieldError, Unprocessable


@dataclass(frozen=True)
class Page:
    limit: int
    after: tuple[datetime, UUID] | None


def encode_cursor(created_at: datetime, ident: UUID) -> str:
    raw = orjson.dumps([created_at.isoformat(), str(ident)])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    """The position a cursor of `encode_cursor` names; 422 for anything else, whatever its
    shape (not base64, not JSON, not a pair, a time without its zone, out of range)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        created, ident = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        at = datetime.fromisoformat(created)
        if at.tzinfo is None:
            raise ValueError("a cursor's time carries its zone")
        return at.astimezone(UTC), UUID(ident)
    except (ValueError, TypeError, OverflowError, UnicodeError) as exc:
        raise Unprocessable("invalid cursor", [FieldError("cursor", "not a cursor")]) from exc


def page_params(
    limit: int = Query(20, ge=1, le=200), cursor: str | None = Query(None, max_length=200)
) -> Page:
    return Page(limit=limit, after=decode_cursor(cursor) if cursor else None)


def page_of(items: list[Any], limit: int, key: Any) -> dict[str, Any]:
    """`items` was fetched with limit+1 rows; `key(item)` gives (created_at, id)."""
    more = len(items) > limit
    items = items[:limit]
    next_cursor = encode_cursor(*key(items[-1])) if more and items else None
    return {"items": items, "next_cursor": next_cursor}
