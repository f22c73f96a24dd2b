"""Matches of the seeded demonstration market, region by region (issue 4, "done when").

Starts listings and matching, loads the demonstration market with `techmarket seed`
(through the listings API: 320 offers, 160 needs over Beijing, Tianjin and Hebei), waits
until matching has indexed it, then asks GET /needs/{id}/matches for every need with the
default min_score. Reports per region: how many needs get matches, how often the best one
is in the need's own industry, and that no match breaks a hard rule (TRL below the need's
minimum, another region for a need closed to other regions). Prints two needs of each
region with their best matches and explanations.

    .venv/bin/python -m bench.matching_seeded

Writes bench/results/matching_seeded.json.
"""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import httpx
import orjson

from bench.common import BENCH_JWT_SECRET, write_results
from bench.matching_stack import Watch
from shared.auth import mint_token
from techmarket.seed import run_seed
from techmarket.stack import ephemeral_stack

TOKEN = mint_token(BENCH_JWT_SECRET, role="broker", region="BJ")
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def published_needs(listings: str) -> list[dict[str, Any]]:
    needs, cursor = [], None
    with httpx.Client(base_url=listings, headers=HEADERS, timeout=30) as client:
        while True:
            params = {"status": "published", "limit": 200, **({"cursor": cursor} if cursor else {})}
            page = client.get("/needs", params=params).json()
            needs += page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return needs


def broken_rules(need: dict[str, Any], items: list[dict[str, Any]]) -> list[str]:
    broken = []
    for item in items:
        offer = item["offer"]
        if need["min_trl"] and (offer["trl"] or 0) < need["min_trl"]:
            broken.append(f"trl {offer['trl']} < {need['min_trl']}")
        if not need["cross_region_ok"] and offer["region"] != need["region"]:
            broken.append(f"region {offer['region']} for a {need['region']}-only need")
    return broken


def region_report(needs: list[dict[str, Any]], answers: dict[str, list[dict[str, Any]]],
                  ) -> dict[str, Any]:
    matched = [n for n in needs if answers[n["id"]]]
    same_industry = [n for n in matched
                     if answers[n["id"]][0]["offer"]["industry"] == n["industry"]]
    return {
        "needs": len(needs),
        "with_matches": len(matched),
        "best_match_in_own_industry": len(same_industry),
        "matches_per_need": round(sum(len(answers[n["id"]]) for n in needs) / len(needs), 1),
        "closed_to_other_regions": sum(not n["cross_region_ok"] for n in needs),
        "cross_region_matches": sum(item["offer"]["region"] != n["region"]
                                    for n in needs for item in answers[n["id"]]),
        "broken_rules": [b for n in needs for b in broken_rules(n, answers[n["id"]])],
        "matches_without_matched_terms": sum(not item["explanation"]["matched_terms"]
                                             for n in needs for item in answers[n["id"]]),
    }


def example(need: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"need": f"[{need['region']}] {need['title']}",
            "cross_region_ok": need["cross_region_ok"],
            "matches": [{"score": i["score"], "offer": f"[{i['offer']['region']}] "
                         f"{i['offer']['title']}", "matched_terms": i["explanation"]
                         ["matched_terms"][:6], "factors": i["explanation"]["factors"]}
                        for i in items[:3]]}


def main() -> None:
    stack = ephemeral_stack(("listings", "matching"), fast_postgres=False,
                            jwt_secret=BENCH_JWT_SECRET)
    try:
        if run_seed(base_url=stack.url("listings"), out=io.StringIO()) != 0:
            raise RuntimeError("the seed failed")
        needs = published_needs(stack.url("listings"))
        Watch(stack).until_indexed("need", len(needs), timeout=300)
        with httpx.Client(base_url=stack.url("matching"), headers=HEADERS, timeout=30) as m:
            answers = {n["id"]: m.get(f"/needs/{n['id']}/matches").json()["items"]
                       for n in needs}
    finally:
        stack.stop()
    by_region: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for need in needs:
        by_region[need["region"]].append(need)
    figures = {
        "regions": {region: region_report(group, answers)
                    for region, group in sorted(by_region.items())},
        "examples": [example(n, answers[n["id"]]) for region in sorted(by_region)
                     for n in by_region[region][:2]],
    }
    path = write_results("matching_seeded", figures)
    print(orjson.dumps(figures, option=orjson.OPT_INDENT_2).decode())
    print(f"written to {path}")


if __name__ == "__main__":
    main()
