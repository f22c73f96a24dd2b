"""Settings read from the environment (pydantic-settings).

`DATABASE_URL` names a PostgreSQL *server*; each service keeps its own database on it,
`techmarket_<service>`, unless `<SERVICE>_DATABASE_URL` points it somewhere else.
"""

from __future__ import annotations

import os
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SERVICES = ("listings", "matching", "deals", "vouchers")
DEFAULT_PORTS = {"listings": 8001, "matching": 8002, "deals": 8003, "vouchers": 8004}
DEV_JWT_SECRET = "techmarket-dev-secret-change-me-in-production"


class MarketSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    database_url: str = "postgresql://postgres@127.0.0.1:5544/postgres"
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    techmarket_jwt_secret: str = DEV_JWT_SECRET
    host: str = "127.0.0.1"
    topic_partitions: int = 4
    relay_poll_seconds: float = 1.0
    relay_batch_size: int = 500
    consumer_max_attempts: int = 5
    consumer_retry_base_seconds: float = 0.05
    # How long the broker may hold a fetch that finds nothing (see shared/kafka.py).
    consumer_fetch_max_wait_ms: int = Field(default=10, ge=1, le=5000)
    # Below ~30 pooled connections, 32 concurrent requests made the pool open and close
    # connections per request (Postgres CPU per create x2.7, bench/listings_offers.py).
    db_pool_size: int = 30
    db_max_overflow: int = 10
    max_body_bytes: int = 256 * 1024
    # An over-long body is read and discarded up to this size before the 413 is sent.
    drain_body_bytes: int = 16 * 1024 * 1024
    # Per client address and service process: requests without credentials, and failed
    # authentications; beyond them a 429 with Retry-After.
    rate_limit_anonymous_per_minute: float = Field(default=300, gt=0)
    rate_limit_failed_auth_per_minute: float = Field(default=30, gt=0)
    log_level: str = "INFO"
    techmarket_failpoints: str = ""
    reservation_timeout_seconds: int = Field(default=30 * 24 * 3600)
    background_jobs: bool = True

    def service_database_url(self, service: str) -> str:
        explicit = os.environ.get(f"{service.upper()}_DATABASE_URL")
        if explicit:
            return explicit
        return with_database(self.database_url, f"techmarket_{service}")

    def service_port(self, service: str) -> int:
        raw = os.environ.get(f"{service.upper()}_PORT")
        return int(raw) if raw else DEFAULT_PORTS[service]

    def service_url(self, service: str) -> str:
        explicit = os.environ.get(f"{service.upper()}_URL")
        if explicit:
            return explicit.rstrip("/")
        return f"http://127.0.0.1:{self.service_port(service)}"


def with_database(url: str, database: str) -> str:
    """Replace the database part of a postgres URL, keeping any query string."""
    head, _, query = url.partition("?")
    scheme, _, rest = head.partition("://")
    authority = rest.split("/", 1)[0]
    joined = f"{scheme}://{authority}/{database}"
    return f"{joined}?{query}" if query else joined


def asyncpg_url(url: str) -> str:
    """SQLAlchemy URL for the asyncpg driver from any postgres URL."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql+asyncpg{sep}{rest}" if scheme.startswith("postgres") else url


def plain_url(url: str) -> str:
    """libpq/asyncpg URL (no SQLAlchemy driver suffix)."""
    scheme, sep, rest = url.partition("://")
    return f"postgresql{sep}{rest}" if scheme.startswith("postgres") else url


@lru_cache
def get_settings() -> MarketSettings:
    return MarketSettings()
