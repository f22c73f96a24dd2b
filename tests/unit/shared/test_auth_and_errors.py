from __future__ import annotations

import asyncpg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.errors import PROBLEM, _field_name, install_error_handlers
from shared.pagination import decode_cursor, encode_cursor
from shared.settings import asyncpg_url, with_database


def test_validation_locations_become_field_names() -> None:
    assert _field_name(("body", "ip", 2, "number")) == "ip[2].number"
    assert _field_name(("query", "limit")) == "limit"
    assert _field_name(("body",)) == "body"


def test_cursor_round_trip_and_garbage() -> None:
    import uuid
    from datetime import UTC, datetime

    from shared.errors import Unprocessable

    at, ident = datetime.now(UTC), uuid.uuid4()
    assert decode_cursor(encode_cursor(at, ident)) == (at, ident)
    with pytest.raises(Unprocessable):
        decode_cursor("!!garbage")


def test_database_urls() -> None:
    assert with_database("postgresql://u@h:1/postgres?sslmode=disable", "techmarket_deals") == \
        "postgresql://u@h:1/techmarket_deals?sslmode=disable"
    assert asyncpg_url("postgres://u@h/db") == "postgresql+asyncpg://u@h/db"


def _app_failing_with(error: Exception) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/fails")
    async def fails() -> None:
        raise error

    return TestClient(app, raise_server_exceptions=False)


def test_a_lost_database_connection_is_503_and_asks_for_a_keyed_retry() -> None:
    answer = _app_failing_with(asyncpg.ConnectionDoesNotExistError(
        "connection was closed in the middle of operation")).get("/fails")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == PROBLEM
    assert answer.headers["retry-after"] == "1"
    assert "Idempotency-Key" in answer.json()["detail"]


def test_any_other_failure_is_500_without_its_details() -> None:
    answer = _app_failing_with(RuntimeError("secret internals")).get("/fails")
    assert answer.status_code == 500
    assert "secret internals" not in answer.text
    assert answer.headers["connection"] == "close"  # the server drops it: no reuse
