"""POST /admin/replay: only the admin role, at most 30 days back unless forced, and every
replay leaves an audit record in the service's log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from tests.support.market import Market, auth


@pytest.mark.parametrize("role", ["operator", "service", "broker", "enterprise", "provider"])
async def test_only_an_admin_may_replay(market: Market, role: str) -> None:
    since = datetime.now(UTC).isoformat()
    async with market.client("listings") as client:
        answer = await client.post("/admin/replay", json={"since": since}, headers=auth(role))
    assert answer.status_code == 403


async def test_a_replay_further_back_than_30_days_must_be_forced(market: Market) -> None:
    since = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    async with market.client("listings") as client:
        refused = await client.post("/admin/replay", json={"since": since},
                                    headers=auth("admin"))
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["field"] == "since"
        forced = await client.post("/admin/replay", json={"since": since, "force": True},
                                   headers=auth("admin", sub="admin-audited"))
    assert forced.status_code == 200
    records = [orjson.loads(line) for line in
               (market.stack.log_dir / "listings.log").read_text().splitlines()
               if '"techmarket.audit"' in line]
    assert any(r["audit"]["by"] == "admin-audited" and r["audit"]["forced"]
               and r["audit"]["requeued"] == forced.json()["requeued"] for r in records)


@pytest.mark.parametrize("body", [{}, {"since": "2026-12-01T00:00:00"},  # no zone
                                  {"since": "yesterday"}, {"since": 1, "force": "yes"},
                                  {"since": "2026-12-01T00:00:00Z", "extra": 1}])
async def test_a_bad_replay_request_is_a_422(market: Market, body: dict[str, object]) -> None:
    async with market.client("listings") as client:
        answer = await client.post("/admin/replay", json=body, headers=auth("admin"))
    assert answer.status_code == 422
