"""Retrieval quality of the matching service on the CSL excerpt (issue 4), end to end.

A market with listings and matching is started. Each of the 1,000 Chinese paper abstracts
of bench/data/csl/ts_dev.tsv is posted as an offer through the
listings API
(POST /offers, then POST /offers/{id}/publish, by a broker for a university it
represents), all under the same generic title; the events reach matching through the
outbox, Kafka and its consumer. Once matching has indexed them all, every paper's real
title is sent to matching's POST /search, and we report Recall@1 and MRR@10. In the same
run, the plain baseline the issue names: BM25 (bm25s) over character unigrams + bigrams.

    .venv/bin/python -m bench.matching_quality [--lines 1000] [--concurrency 8]

Prints the figures and writes bench/results/matching_quality.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

from bench.common import BENCH_JWT_SECRET, write_results
from bench.matching_engine import baseline_quality, load_csl, recall_and_mrr
from bench.matching_stack import Watch
from shared.auth import mint_token
from techmarket.stack import ephemeral_stack
from tests.support.data import organization

CSL = Path(os.environ.get(
    "CSL_TSV", Path(__file__).resolve().parent / "data" / "csl" / "ts_dev.tsv"))
TITLE = "技术成果转让"  # the offers' own title: the same for all, so only abstracts differ
OPERATOR = mint_token(BENCH_JWT_SECRET, role="operator", region="BJ", sub="bench-operator")


async def post(client: httpx.AsyncClient, path: str, body: dict[str, Any] | None,
               token: str, status: int) -> dict[str, Any]:
    response = await client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})
    if response.status_code != status:
        raise RuntimeError(f"POST {path}: {response.status_code} {response.text[:300]}")
    return dict(response.json())


async def broker_desk(client: httpx.AsyncClient) -> tuple[str, str]:
    """A broker token and the university it represents."""
    agency = await post(client, "/organizations", organization("BJ", "broker_agency"),
                        OPERATOR, 201)
    university = await post(client, "/organizations", organization("BJ", "university"),
                            OPERATOR, 201)
    broker = await post(client, "/brokers", {
        "name": "王晓东", "certificate_no": f"BJ-JSJJ-{uuid.uuid4().hex[:10]}", "region": "BJ",
        "agency_org_id": agency["id"], "represents": [university["id"]]}, OPERATOR, 201)
    token = mint_token(BENCH_JWT_SECRET, role="broker", region="BJ", sub=broker["id"],
                       org=agency["id"])
    return token, university["id"]


async def publish_abstracts(url: str, abstracts: list[str], concurrency: int) -> list[str]:
    """Offer ids, in the order of the abstracts."""
    valid_until = (date.today() + timedelta(days=365)).isoformat()
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        token, owner = await broker_desk(client)
        gate = asyncio.Semaphore(concurrency)

        async def publish(abstract: str) -> str:
            async with gate:
                offer = await post(client, "/offers", {
                    "owner_org_id": owner, "kind": "technology", "title": TITLE,
                    "description": abstract, "industry": "new_materials", "trl": 5,
                    "modes": ["transfer"], "asking_price_fen": None,
                    "valid_until": valid_until}, token, 201)
                await post(client, f"/offers/{offer['id']}/publish", None, token, 200)
                return str(offer["id"])

        return list(await asyncio.gather(*(publish(a) for a in abstracts)))


async def search_titles(url: str, titles: list[str], concurrency: int,
                        min_score: float | None) -> list[list[str]]:
    """The top 10 offer ids POST /search answers for each title."""
    token = mint_token(BENCH_JWT_SECRET, role="enterprise", region="HE")
    params: dict[str, Any] = {"limit": 10}
    if min_score is not None:
        params["min_score"] = min_score
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        gate = asyncio.Semaphore(concurrency)

        async def top(title: str) -> list[str]:
            async with gate:
                answer = await post(client, f"/search?{httpx.QueryParams(params)}",
                                    {"text": title}, token, 200)
                return [item["offer_id"] for item in answer["items"]]

        return list(await asyncio.gather(*(top(t) for t in titles)))


def quality(rankings: list[list[str]], offer_ids: list[str]) -> dict[str, float]:
    position = {offer_id: n for n, offer_id in enumerate(offer_ids)}
    as_numbers = [[position.get(o, -1) for o in top] for top in rankings]
    r1, mrr = recall_and_mrr(as_numbers)
    return {"recall_at_1": round(r1, 4), "mrr_at_10": round(mrr, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    pairs = load_csl(CSL)[: args.lines]
    abstracts, titles = [a for a, _ in pairs], [t for _, t in pairs]
    stack = ephemeral_stack(("listings", "matching"), fast_postgres=False,
                            jwt_secret=BENCH_JWT_SECRET)
    try:
        url = stack.url("matching")
        started = time.perf_counter()
        offer_ids = asyncio.run(publish_abstracts(stack.url("listings"), abstracts,
                                                  args.concurrency))
        published = time.perf_counter() - started
        indexed = Watch(stack).until_indexed("offer", len(offer_ids), timeout=600)
        started = time.perf_counter()
        every = asyncio.run(search_titles(url, titles, args.concurrency, min_score=0.0))
        searched = time.perf_counter() - started
        default = asyncio.run(search_titles(url, titles, args.concurrency, min_score=None))
    finally:
        stack.stop()
    baseline = baseline_quality(pairs)
    service = quality(every, offer_ids)
    figures = {
        "documents": len(pairs),
        "service": {**service, "publish_seconds": round(published, 1),
                    "index_wait_seconds_after_last_publish": round(indexed, 1),
                    "search_seconds": round(searched, 1)},
        "service_default_min_score": quality(default, offer_ids),
        "baseline_bm25s_char_uni_bigram": {k: round(v, 4) for k, v in baseline.items()
                                           if k != "seconds"},
        "target": {"recall_at_1": 0.980, "mrr_at_10": 0.986},
    }
    path = write_results("matching_quality", figures)
    print(orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode())
    print(f"written to {path}")


if __name__ == "__main__":
    main()
