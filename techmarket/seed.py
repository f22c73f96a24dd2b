"""`techmarket seed`: load the demonstration market through the public listings API.

Organisations (by operators of their regions), brokers, then offers and needs (each posted
by a broker representing its owner, then published), with a progress bar. A second run
adds only what is missing: records are matched to what the market already holds (credit
code, certificate number, owner + title), so the market's dates moving on from one day to
the next never duplicate anything. Every POST carries an Idempotency-Key, so a retried
request never acts twice.
"""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from collections.abc import Iterator, Mapping
from typing import Any, TextIO

import httpx
import orjson
from tqdm import tqdm

from shared.auth import mint_token
from shared.backoff import Backoff
from shared.china_time import today_in_china
from shared.settings import get_settings
from techmarket.seed_data import Market, build_market, to_request_body

Record = dict[str, Any]
_RETRIES = 4


class SeedError(Exception):
    """The market refused a record; the message says which and why."""


class MarketClient:
    """The listings API as the seed uses it: tokens per actor, retries with the same key."""

    def __init__(self, http: httpx.Client, secret: str) -> None:
        self.http = http
        self.secret = secret

    def operator(self, region: str) -> str:
        return mint_token(self.secret, role="operator", region=region, sub=f"seed-{region}")

    def broker(self, broker: Mapping[str, Any]) -> str:
        return mint_token(self.secret, role="broker", region=broker["region"],
                          sub=broker["id"], org=broker["agency_org_id"])

    def post(self, path: str, token: str, body: Record | None, key: str) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
        backoff = Backoff(first=0.5, cap=8.0)
        for attempt in range(_RETRIES):
            try:
                response = self.http.post(path, json=body, headers=headers)
            except httpx.TransportError:
                if attempt == _RETRIES - 1:
                    raise
            else:
                if response.status_code < 500 or attempt == _RETRIES - 1:
                    return response
            backoff.wait_blocking()
        raise AssertionError("unreachable")

    def every(self, path: str, token: str, **params: str) -> Iterator[Record]:
        """All items of a list endpoint, page after page."""
        cursor: str | None = None
        while True:
            query = {**params, "limit": "200", **({"cursor": cursor} if cursor else {})}
            response = self.http.get(path, params=query,
                                     headers={"Authorization": f"Bearer {token}"})
            _expect(response, 200, path)
            page = response.json()
            yield from page["items"]
            cursor = page["next_cursor"]
            if not cursor:
                return


class SeedLoader:
    def __init__(self, client: MarketClient, market: Market, progress: tqdm) -> None:
        self.client = client
        self.market = market
        self.progress = progress
        self.ids: dict[str, str] = {}  # seed ref -> server id
        self.brokers: dict[str, Record] = {}  # seed ref -> broker as the API shows it
        self.created = 0

    def load(self) -> None:
        self._organizations()
        self._brokers()
        self._listings(self.market.offers, "/offers", "owner_org_ref", "owner_org_id")
        self._listings(self.market.needs, "/needs", "buyer_org_ref", "buyer_org_id")

    def _organizations(self) -> None:
        token = self.client.operator("BJ")
        known = {o["credit_code"]: o["id"]
                 for o in self.client.every("/organizations", token)}
        for record in self.market.organizations:
            org_id = known.get(record["credit_code"])
            if org_id is None:
                body = to_request_body(record, self.ids)
                org_id = self._create("/organizations", self.client.operator(record["region"]),
                                      body, record["ref"])
            self.ids[record["ref"]] = org_id
            self.progress.update()

    def _brokers(self) -> None:
        token = self.client.operator("BJ")
        known = {b["certificate_no"]: b for b in self.client.every("/brokers", token)}
        for record in self.market.brokers:
            broker = known.get(record["certificate_no"])
            if broker is None:
                body = to_request_body(record, self.ids)
                broker = self._create("/brokers", self.client.operator(record["region"]), body,
                                      record["ref"], whole=True)
            self.brokers[record["ref"]] = broker
            self.progress.update()

    def _listings(self, records: list[Record], path: str, owner_ref: str, owner_field: str
                  ) -> None:
        existing = self._existing(path, owner_field, {r[owner_ref] for r in records})
        for record in records:
            broker = self.brokers[record["broker_ref"]]
            token = self.client.broker(broker)
            owner_id = self.ids[record[owner_ref]]
            matches = existing.get((owner_id, record["title"]))
            listing = matches.pop(0) if matches else None
            if listing is None:
                body = to_request_body(record, self.ids)
                listing = self._create(path, token, body, record["ref"], whole=True)
            if listing["status"] == "draft":
                response = self.client.post(f"{path}/{listing['id']}/publish", token, None,
                                            f"seed-publish-{listing['id']}")
                _expect(response, 200, f"publish {record['ref']}")
            self.progress.update()

    def _existing(self, path: str, owner_field: str, owner_refs: set[str]
                  ) -> dict[tuple[str, str], list[Record]]:
        token = self.client.operator("BJ")
        found: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for ref in sorted(owner_refs):
            for item in self.client.every(path, token, **{owner_field: self.ids[ref]}):
                found[(item[owner_field], item["title"])].append(item)
        return found

    def _create(self, path: str, token: str, body: Record, ref: str, *,
                whole: bool = False) -> Any:
        digest = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
        response = self.client.post(path, token, body, f"seed-{ref}-{digest[:16]}")
        _expect(response, 201, f"{path} {ref}")
        self.created += 1
        created = response.json()
        return created if whole else created["id"]


def _expect(response: httpx.Response, status: int, what: str) -> None:
    if response.status_code != status:
        raise SeedError(f"{what}: {response.status_code} {response.text[:500]}")


def run_seed(offers: int = 320, needs: int = 160, *, base_url: str | None = None,
             out: TextIO = sys.stdout, secret: str | None = None) -> int:
    settings = get_settings()
    base_url = base_url or settings.service_url("listings")
    market = build_market(today_in_china(), offers=offers, needs=needs)
    total = sum(map(len, (market.organizations, market.brokers, market.offers, market.needs)))
    with httpx.Client(base_url=base_url, timeout=30) as http:
        if not _reachable(http):
            print(f"the listings service is not reachable at {base_url}; start the market "
                  "with `make run` (or set LISTINGS_URL)", file=out)
            return 1
        client = MarketClient(http, secret or settings.tool_signing_secret())
        with tqdm(total=total, desc="seeding the market", unit="record", file=out) as bar:
            loader = SeedLoader(client, market, bar)
            try:
                loader.load()
            except (SeedError, httpx.HTTPError) as refused:
                # What was created stays; a re-run adds only what is missing.
                print(f"seed stopped: {refused}", file=out)
                return 1
    _print_summary(loader, base_url, out)
    return 0


def _reachable(http: httpx.Client) -> bool:
    try:
        return http.get("/healthz").status_code == 200
    except httpx.HTTPError:
        return False


def _print_summary(loader: SeedLoader, base_url: str, out: TextIO) -> None:
    market, ids, secret = loader.market, loader.ids, loader.client.secret
    print(f"\n{loader.created} records created ({len(market.organizations)} organisations, "
          f"{len(market.brokers)} brokers, {len(market.offers)} offers, "
          f"{len(market.needs)} needs in the market); browse {base_url}/docs\n", file=out)
    broker = loader.brokers[market.brokers[0]["ref"]]
    enterprise = next(o for o in market.organizations if o["kind"] == "enterprise")
    lab = next(o for o in market.organizations if o["kind"] == "lab")
    tokens = [
        (f"broker {broker['name']} ({broker['region']}), sub {broker['id']}, "
         f"org {broker['agency_org_id']}", loader.client.broker(broker)),
        (f"enterprise {enterprise['name']} ({enterprise['region']}), org {ids[enterprise['ref']]}",
         mint_token(secret, role="enterprise", region=enterprise["region"],
                    org=ids[enterprise["ref"]])),
        (f"provider {lab['name']} ({lab['region']}), org {ids[lab['ref']]}",
         mint_token(secret, role="provider", region=lab["region"], org=ids[lab["ref"]])),
        ("operator BJ", loader.client.operator("BJ")),
    ]
    print("ready tokens (24 h):", file=out)
    for who, token in tokens:
        print(f"  {who}\n    {token}", file=out)
    print(f"\ne.g. curl -s '{base_url}/offers?q=电池&status=published' "
          "-H \"Authorization: Bearer <a token above>\"", file=out)
