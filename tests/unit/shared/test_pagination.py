"""A cursor is opaque: what `encode_cursor` made comes back, anything else is a 422."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime

import orjson
import pytest

from shared.errors import Unprocessable
from shared.pagination import decode_cursor, encode_cursor


def _b64(value: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(value)).decode().rstrip("=")


def test_a_cursor_comes_back_as_it_was_made() -> None:
    at, ident = datetime(2026, 12, 5, 8, 30, tzinfo=UTC), uuid.uuid4()
    assert decode_cursor(encode_cursor(at, ident)) == (at, ident)


@pytest.mark.parametrize("cursor", [
    "", "x", "!!!!", "不是游标", "\x00\x01", "=" * 8,
    _b64(None), _b64(1), _b64("text"), _b64([]), _b64([1, 2]), _b64({"a": 1, "b": 2}),
    _b64(["2026-12-05T08:30:00+00:00"]), _b64(["2026-12-05T08:30:00+00:00", "x", "y"]),
    _b64(["2026-12-05T08:30:00", str(uuid.uuid4())]),          # no zone
    _b64(["0001-01-01T00:00:00+23:59", str(uuid.uuid4())]),     # out of range in UTC
    _b64(["2026-13-45T00:00:00+00:00", str(uuid.uuid4())]),
    _b64(["2026-12-05T08:30:00+00:00", "not-a-uuid"]),
    _b64([["nested"], {"deep": True}]),
    base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
])
def test_anything_else_is_unprocessable(cursor: str) -> None:
    with pytest.raises(Unprocessable):
        decode_cursor(cursor)
