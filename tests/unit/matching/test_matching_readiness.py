"""Until the start-up rebuild is done, the service says it is not ready and serves no ranking."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.matching.domain.market_index import MarketIndex
from services.matching.routes import market_index
from shared.errors import Unavailable


def _request(index: MarketIndex) -> object:
    runtime = SimpleNamespace(state={"index": index})
    return SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace(runtime=runtime)))


async def test_rankings_wait_for_the_rebuild() -> None:
    index = MarketIndex()
    with pytest.raises(Unavailable) as refused:
        await market_index(_request(index))  # type: ignore[arg-type]
    assert refused.value.status == 503 and refused.value.headers == {"Retry-After": "5"}
    index.ready = True
    assert await market_index(_request(index)) is index  # type: ignore[arg-type]
