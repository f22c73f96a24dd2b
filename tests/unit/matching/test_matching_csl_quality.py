"""Retrieval quality on real Chinese technical text: the CSL excerpt (see its README).

Each abstract is published as an offer's description under the same generic title; the
paper's real title, used as an ad-hoc search, must find its own abstract first.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from services.matching.domain import MatchingEngine, OfferDoc, OfferSearch

LINES = 200
CANDIDATES = (
    os.environ.get("CSL_TSV", ""),
    str(Path(__file__).resolve().parents[2] / "data" / "csl" / "ts_dev_first200.tsv"),
)


def csl_pairs() -> list[tuple[str, str]]:
    """(abstract, title) of the first LINES lines of the first copy found."""
    for candidate in filter(None, CANDIDATES):
        path = Path(candidate)
        if path.is_file():
            with path.open(encoding="utf-8") as lines:
                rows = [next(lines).rstrip("\n").split("\t") for _ in range(LINES)]
            return [(row[1], row[2]) for row in rows]
    pytest.skip("CSL ts_dev.tsv not found (set CSL_TSV)")


def test_a_papers_title_finds_its_abstract_first() -> None:
    pairs = csl_pairs()
    engine = MatchingEngine()
    for i, (abstract, _) in enumerate(pairs):
        engine.put_offer(OfferDoc(id=str(i), title="技术成果", description=abstract, region="BJ"))

    firsts = [engine.search_offers(OfferSearch(text=title), limit=1) for _, title in pairs]
    hits = sum(1 for i, top in enumerate(firsts) if top and top[0].id == str(i))

    assert hits / len(pairs) >= 0.95
    assert all(0.0 < top[0].score <= 1.0 for top in firsts if top)
