"""Session fixtures: one real market (embedded Postgres, Tansu broker, four services)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.market import Market, new_stack


@pytest.fixture(scope="session")
def market() -> Iterator[Market]:
    stack = new_stack()
    try:
        yield Market(stack)
    finally:
        stack.stop()
