"""A running market for tests: the same Stack `techmarket up` uses, on free ports."""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import jwt
from aiokafka import AIOKafkaProducer

from shared.auth import mint_token
from shared.settings import SERVICES, MarketSettings, plain_url
from techmarket.stack import Stack, ephemeral_stack

# One process per service, whatever the developer's shell exports: tests read per-process
# counters (/metrics); a test that wants replicas asks for them in `extra_env`.
ONE_PROCESS_EACH = {f"{service.upper()}_WORKERS": "1" for service in SERVICES}
# The test market is not in development mode: its services verify with a secret of this run.
TEST_JWT_SECRET = secrets.token_urlsafe(48)
# Every test runs from one address and many send bad or no credentials on purpose: the
# limits themselves are tested on their own (tests/unit/shared/test_middleware.py).
NO_RATE_LIMITS = {"RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000",
                  "RATE_LIMIT_FAILED_AUTH_PER_MINUTE": "1000000"}


def new_stack(services: tuple[str, ...] = SERVICES, extra_env: dict[str, str] | None = None,
              workdir: Path | None = None, *, database_url: str | None = None,
              pg_port: int | None = None, durable: bool = False) -> Stack:
    """A market on free ports: on the embedded Postgres (on `pg_port` if given), or on the
    server `database_url` names. `durable`: Postgres as `techmarket up` runs it; tests
    otherwise run it without synchronous commits, which a killed server loses (the last
    fraction of a second)."""
    return ephemeral_stack(services, extra_env={**ONE_PROCESS_EACH, **NO_RATE_LIMITS,
                                                **(extra_env or {})},
                           workdir=workdir, jwt_secret=TEST_JWT_SECRET,
                           database_url=database_url, pg_port=pg_port,
                           fast_postgres=not durable)


def token(role: str, region: str = "BJ", org: str | uuid.UUID | None = None,
          sub: str | None = None, ttl: int = 3600) -> str:
    """A token of the test market; a `ttl` of 0 or less makes one that expired `-ttl`
    seconds beyond the clock leeway the services allow."""
    if ttl <= 0:
        return _expired(role, region, org, sub, ttl)
    return mint_token(TEST_JWT_SECRET, role=role, region=region,
                      org=str(org) if org else None, sub=sub, ttl_seconds=ttl)


def _expired(role: str, region: str, org: str | uuid.UUID | None, sub: str | None,
             ttl: int) -> str:
    now, leeway = int(time.time()), MarketSettings().jwt_leeway_seconds
    claims = {"sub": sub or f"{role}-expired", "role": role, "region": region,
              "iat": now - 3600, "exp": now - leeway - 1 + ttl, "iss": "techmarket",
              "aud": "techmarket"}
    if org:
        claims["org"] = str(org)
    return jwt.encode(claims, TEST_JWT_SECRET, algorithm="HS256")


def auth(role: str, region: str = "BJ", org: str | uuid.UUID | None = None,
         sub: str | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, region, org, sub)}"}


class Market:
    """What a test needs of a running stack: URLs, tokens, database access."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def url(self, service: str) -> str:
        return self.stack.url(service)

    def client(self, service: str, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url(service), timeout=30, **kwargs)

    async def db(self, service: str) -> asyncpg.Connection:
        return await asyncpg.connect(plain_url(self.stack.service_database_url(service)))

    @asynccontextmanager
    async def producer(self) -> AsyncIterator[AIOKafkaProducer]:
        """A producer on the market's broker, for tests that write records themselves
        (the embedded broker has no idempotent producer)."""
        kafka = AIOKafkaProducer(bootstrap_servers=self.stack.bootstrap,
                                 enable_idempotence=False)
        await kafka.start()
        try:
            yield kafka
        finally:
            await kafka.stop()

    async def fetch(self, service: str, sql: str, *args: Any) -> list[asyncpg.Record]:
        conn = await self.db(service)
        try:
            return list(await conn.fetch(sql, *args))
        finally:
            await conn.close()

    async def fetchval(self, service: str, sql: str, *args: Any) -> Any:
        conn = await self.db(service)
        try:
            return await conn.fetchval(sql, *args)
        finally:
            await conn.close()


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 20,
                     interval: float = 0.05) -> Any:
    """Poll until `check()` returns a truthy value; fail with the last value otherwise."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last value: {last!r})")
