"""A consumer retries an event without limit when the database failed, and sends it to the
dead-letter topic after bounded retries when the event itself failed."""

from __future__ import annotations

import asyncpg
import pytest

from shared.inbox import is_infrastructure_error


@pytest.mark.parametrize("error", [
    asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
    asyncpg.AdminShutdownError("terminating connection due to administrator command"),
    asyncpg.CannotConnectNowError("the database system is starting up"),
    asyncpg.InterfaceError("connection is closed"),
    asyncpg.InternalClientError(  # a pooled connection whose backend was terminated
        "cannot switch to state 12; another operation (2) is in progress"),
    ConnectionResetError("reset by peer"),
])
def test_a_lost_database_is_not_the_events_fault(error: Exception) -> None:
    assert is_infrastructure_error(error)


def test_a_lost_database_behind_a_handlers_own_error_is_still_found() -> None:
    try:
        try:
            raise asyncpg.ConnectionDoesNotExistError("closed")
        except asyncpg.ConnectionDoesNotExistError as lost:
            raise RuntimeError("the handler gave up") from lost
    except RuntimeError as error:
        assert is_infrastructure_error(error)


@pytest.mark.parametrize("error", [
    asyncpg.UniqueViolationError("duplicate key value violates unique constraint"),
    asyncpg.CheckViolationError("new row violates check constraint"),
    ValueError("malformed amount"),
])
def test_an_events_own_failure_counts_toward_the_dead_letter(error: Exception) -> None:
    assert not is_infrastructure_error(error)
