"""Optimistic concurrency: `If-Match: "<version>"` on updates."""

from __future__ import annotations

from fastapi import Request

from shared.errors import FieldError, PreconditionFailed, PreconditionRequired, Unprocessable


def expected_version(request: Request) -> int:
    raw = request.headers.get("if-match")
    if raw is None:
        raise PreconditionRequired("If-Match with the resource's current version is required")
    value = raw.strip().removeprefix("W/").strip('"')
    if not value.isdigit() or len(value) > 12:
        raise Unprocessable("If-Match must be a quoted version number such as \"3\"",
                            [FieldError("If-Match", "not a version number")])
    return int(value)


def check_version(current: int, expected: int) -> None:
    if current != expected:
        raise PreconditionFailed(f"version {expected} is stale; current version is {current}")
