"""`techmarket seed` loads the demonstration market through the API, is idempotent on a
re-run, and ends with tokens that work, carrying real ids."""

from __future__ import annotations

import asyncio
import io
import re
import uuid

import jwt

from shared.china_time import today_in_china
from techmarket.seed import run_seed
from techmarket.seed_data import build_market
from tests.support.market import TEST_JWT_SECRET, Market

OFFERS, NEEDS = 40, 20


async def seeded_counts(market: Market) -> dict[str, int]:
    seed = build_market(today_in_china(), offers=0, needs=0)
    codes = [org["credit_code"] for org in seed.organizations]
    row = (await market.fetch("listings", """
        WITH seeded AS (SELECT id FROM organizations WHERE credit_code = ANY($1::text[]))
        SELECT (SELECT count(*) FROM seeded) AS organisations,
               (SELECT count(*) FROM brokers WHERE certificate_no = ANY($2::text[])) AS brokers,
               (SELECT count(*) FROM offers WHERE owner_org_id IN (SELECT id FROM seeded)
                  AND status = 'published') AS offers,
               (SELECT count(*) FROM needs WHERE buyer_org_id IN (SELECT id FROM seeded)
                  AND status = 'published') AS needs,
               (SELECT count(*) FROM offers WHERE owner_org_id IN (SELECT id FROM seeded)
                  AND status <> 'published') AS unpublished
        """, codes, [b["certificate_no"] for b in seed.brokers]))[0]
    return dict(row)


async def seed(market: Market) -> tuple[int, str]:
    out = io.StringIO()
    code = await asyncio.to_thread(run_seed, OFFERS, NEEDS, base_url=market.url("listings"),
                                   out=out, secret=TEST_JWT_SECRET)
    return code, out.getvalue()


async def test_seed_loads_once_and_prints_working_tokens(market: Market) -> None:
    code, output = await seed(market)
    assert code == 0, output
    counts = await seeded_counts(market)
    market_size = build_market(today_in_china(), offers=0, needs=0)
    assert counts == {"organisations": len(market_size.organizations),
                      "brokers": len(market_size.brokers), "offers": OFFERS, "needs": NEEDS,
                      "unpublished": 0}

    again, second_output = await seed(market)
    assert again == 0, second_output
    assert "0 records created" in second_output
    assert await seeded_counts(market) == counts

    tokens = dict(re.findall(r"^  (broker|enterprise|provider|operator) .*\n    (\S+)$",
                             output, re.MULTILINE))
    assert set(tokens) == {"broker", "enterprise", "provider", "operator"}
    broker = jwt.decode(tokens["broker"], options={"verify_signature": False})
    async with market.client("listings") as client:
        profile = await client.get(f"/brokers/{broker['sub']}",
                                   headers={"Authorization": f"Bearer {tokens['broker']}"})
        assert profile.status_code == 200 and profile.json()["agency_org_id"] == broker["org"]
        for role in ("enterprise", "provider"):
            org = jwt.decode(tokens[role], options={"verify_signature": False})["org"]
            found = await client.get(f"/organizations/{uuid.UUID(org)}",
                                     headers={"Authorization": f"Bearer {tokens[role]}"})
            assert found.status_code == 200
        offers = await client.get("/offers", params={"q": "技术", "status": "published"},
                                  headers={"Authorization": f"Bearer {tokens['broker']}"})
    assert offers.status_code == 200 and offers.json()["items"]


async def test_seed_says_so_when_the_market_is_down() -> None:
    out = io.StringIO()
    code = await asyncio.to_thread(run_seed, 1, 1, base_url="http://127.0.0.1:9", out=out)
    assert code == 1 and "not reachable" in out.getvalue()
