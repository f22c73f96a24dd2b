"""A body over the size limit, sent by a plain blocking client that writes all of it before
reading, gets a readable 413 problem document, not a connection reset; nothing is written."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest

from tests.support.market import Market, token


def _post_blocking(url: str, body: bytes, bearer: str) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Bearer {bearer}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


# Loopback's socket buffers swallow a 1 MB body whole; 8 MB outruns them, and a server
# that answered and closed without reading it reset the client's connection.
@pytest.mark.parametrize("size", [1_000_000, 8_000_000])
async def test_an_over_long_body_from_urllib_gets_a_413_document(market: Market,
                                                                 size: int) -> None:
    name = f"超大请求体测试机构{size}"
    body = json.dumps({"name": name, "credit_code": "91110000000000000X", "region": "BJ",
                       "kind": "lab", "small_firm": False, "padding": "x" * size}).encode()
    status, problem = await asyncio.to_thread(
        _post_blocking, f"{market.url('listings')}/organizations", body,
        token("operator", "BJ"))
    assert status == 413
    assert problem["title"] == "Payload too large"
    assert await market.fetch("listings", "SELECT 1 FROM organizations WHERE name = $1",
                              name) == []
