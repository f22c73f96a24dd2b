"""Retrieval quality through the running service (fast regression of bench/matching_quality.py).

The first 200 CSL abstracts are published as offers (events on `listings.events`, each
under the same generic title); each paper's real title, sent to POST /search, must find
its own abstract first for at least 95% of the papers.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from tests.support.market import Market, eventually
from tests.support.matching.feed import BROKER, consumed, indexed, offer_event, produce

LINES = 200
CSL = Path(os.environ.get(
    "CSL_TSV", Path(__file__).resolve().parents[2] / "data" / "csl" / "ts_dev_first200.tsv"))


def _pairs() -> list[tuple[str, str]]:
    """(abstract, title) of the first LINES lines."""
    if not CSL.is_file():
        pytest.skip(f"CSL excerpt not found at {CSL} (set CSL_TSV)")
    with CSL.open(encoding="utf-8") as lines:
        rows = [next(lines).rstrip("\n").split("\t") for _ in range(LINES)]
    return [(row[1], row[2]) for row in rows]


async def test_a_papers_title_finds_its_abstract_first(market: Market) -> None:
    pairs = _pairs()
    offers = [offer_event(title="技术成果转让", description=abstract, summary="",
                          keywords=[]) for abstract, _ in pairs]
    before = await indexed(market)
    await consumed(market, await produce(market, *offers))
    await eventually(lambda: _at_least(market, before + LINES))
    async with market.client("matching") as client:
        async def top(title: str) -> str | None:
            response = await client.post("/search", json={"text": title},
                                         params={"limit": 1}, headers=BROKER)
            assert response.status_code == 200, response.text
            items = response.json()["items"]
            return items[0]["offer_id"] if items else None

        firsts = await asyncio.gather(*(top(title) for _, title in pairs))
    hits = sum(first == offer.offer_id for first, offer in zip(firsts, offers, strict=True))
    assert hits / len(pairs) >= 0.95, f"Recall@1 {hits / len(pairs):.3f}"


async def _at_least(market: Market, count: int) -> bool:
    return await indexed(market) >= count
