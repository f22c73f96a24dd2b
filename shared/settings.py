"""The market-wide settings, read from the environment (pydantic-settings).

`DATABASE_URL` names a PostgreSQL *server* and its administrator; each service keeps its own
database on it, `<DATABASE_PREFIX><service>` (`techmarket_deals` by default), which the
service reaches as its own login role of the same name (password
`<SERVICE>_DATABASE_PASSWORD`; see shared/db_roles.py), unless `<SERVICE>_DATABASE_URL`
points it somewhere else. The service asks `service_database_url`; the administrator's
tools (`techmarket migrate`, `techmarket replay`) ask `admin_database_url`, so they all
agree on the database. Settings of one service alone live in
`services/<name>/settings.py`; those of `techmarket up` in `techmarket/settings.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

SERVICES = ("listings", "matching", "deals", "vouchers")
DEFAULT_PORTS = {"listings": 8001, "matching": 8002, "deals": 8003, "vouchers": 8004}
DEV_JWT_SECRET = "techmarket-dev-secret-change-me-in-production"


class MarketSettings(BaseSettings):
    # An empty variable counts as unset (`DEALS_DATABASE_URL=` keeps the default).
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False,
                                      env_ignore_empty=True)

    database_url: str = "postgresql://postgres@127.0.0.1:5544/postgres"
    # Name of a service's database on DATABASE_URL's server: this prefix + the service.
    database_prefix: str = Field(default="techmarket_", pattern=r"^[a-z_][a-z0-9_]*$")
    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # How every Kafka client of the market connects (shared.kafka.Broker): TLS (SSL),
    # SASL, or both; SASL by SCRAM, or PLAIN (which sends the password: only over TLS).
    kafka_security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = \
        "PLAINTEXT"
    kafka_sasl_mechanism: Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"] = "SCRAM-SHA-512"
    kafka_sasl_username: str | None = None
    kafka_sasl_password: SecretStr | None = None
    # TLS: the CA that signed the brokers' certificates (default: the system's), and this
    # client's own certificate and key when the brokers ask for one (mutual TLS).
    kafka_ssl_cafile: Path | None = None
    kafka_ssl_certfile: Path | None = None
    kafka_ssl_keyfile: Path | None = None
    # Development mode (`make run`): the known development secret may sign tokens, and
    # `techmarket up` prints URLs and ready tokens. Never in production.
    techmarket_dev_mode: bool = False
    # HS256: the secret every service verifies with (and `techmarket token` signs with);
    # at least 32 bytes, and required outside development mode.
    techmarket_jwt_secret: str | None = None
    # RS256 / ES256: the identity provider's public key (PEM) or key set (JWKS) file; the
    # services then verify only.
    jwt_algorithm: Literal["HS256", "RS256", "ES256"] = "HS256"
    jwt_public_key_file: Path | None = None
    jwt_jwks_file: Path | None = None
    jwt_issuer: str = "techmarket"
    jwt_audience: str = "techmarket"
    jwt_max_ttl_seconds: int = Field(default=24 * 3600, gt=0)
    jwt_leeway_seconds: int = Field(default=30, ge=0, le=300)
    # A token the service sends when it calls another service, issued by the identity
    # provider (with RS256/ES256 a service cannot mint one); read again when it changes.
    service_token_file: Path | None = None
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
    # Limits of every pool (shared.db.DbLimits): connect, a statement on the server, a
    # statement as the client waits for it.
    db_connect_timeout_seconds: float = Field(default=10.0, gt=0)
    db_statement_timeout_ms: int = Field(default=60_000, gt=0)
    db_command_timeout_seconds: float = Field(default=90.0, gt=0)
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
    # An Idempotency-Key replays its first answer this long; after it, the same key runs
    # as a new request, and a periodic job deletes the expired keys.
    idempotency_key_ttl_hours: float = Field(default=24, gt=0)
    background_jobs: bool = True

    # One service's database elsewhere than `<database_prefix><service>` on DATABASE_URL,
    # with the role it connects as: the deployment then manages that role itself.
    listings_database_url: str | None = None
    matching_database_url: str | None = None
    deals_database_url: str | None = None
    vouchers_database_url: str | None = None
    # The password of a service's own login role on DATABASE_URL's server: set by
    # `techmarket migrate`, used by the service (`techmarket up` makes fresh ones).
    listings_database_password: SecretStr | None = None
    matching_database_password: SecretStr | None = None
    deals_database_password: SecretStr | None = None
    vouchers_database_password: SecretStr | None = None
    # The port a service listens on.
    listings_port: int = DEFAULT_PORTS["listings"]
    matching_port: int = DEFAULT_PORTS["matching"]
    deals_port: int = DEFAULT_PORTS["deals"]
    vouchers_port: int = DEFAULT_PORTS["vouchers"]
    # Where the other services reach a service (default http://127.0.0.1:<port>).
    listings_url: str | None = None
    matching_url: str | None = None
    deals_url: str | None = None
    vouchers_url: str | None = None
    # Database connections per process of one service, in place of db_pool_size.
    listings_db_pool_size: int | None = Field(default=None, ge=1)
    matching_db_pool_size: int | None = Field(default=None, ge=1)
    deals_db_pool_size: int | None = Field(default=None, ge=1)
    # Vouchers is the write-hot service: its pool does not overflow, and 32 connections per
    # process keep two cores busy on reserve, redeem and release.
    vouchers_db_pool_size: int | None = Field(default=32, ge=1)

    @classmethod
    def of_environment(cls, env: Mapping[str, str]) -> MarketSettings:
        """The settings a process started with exactly `env` as its environment reads."""
        fields = cls.model_fields
        # Validated from `env` alone: no read of this process's own environment.
        return cls.model_validate({key.lower(): value for key, value in env.items()
                                   if key.lower() in fields and value != ""})

    def database_name(self, service: str) -> str:
        return f"{self.database_prefix}{_known(service)}"

    def signing_secret(self) -> str:
        """The HS256 secret tokens are signed with: the configured one, or the development
        secret in development mode."""
        if self.jwt_algorithm != "HS256":
            raise ValueError(f"with {self.jwt_algorithm} the identity provider signs tokens; "
                             "the market only verifies them")
        if self.techmarket_jwt_secret:
            return self.techmarket_jwt_secret
        if self.techmarket_dev_mode:
            return DEV_JWT_SECRET
        raise ValueError("TECHMARKET_JWT_SECRET is not set")

    def tool_signing_secret(self) -> str:
        """What the command-line tools (`techmarket token`, `techmarket seed`) sign with: the
        configured secret, else the development one, which only a market in development
        mode accepts."""
        if self.jwt_algorithm != "HS256":
            raise ValueError(f"with {self.jwt_algorithm} tokens come from the identity "
                             "provider; the command-line tools cannot sign them")
        return self.techmarket_jwt_secret or DEV_JWT_SECRET

    def jwt_verification_key(self) -> Any:
        """What tokens are verified with: the secret, a public key, or, for a key set, a
        function of the token choosing its key by `kid`."""
        import jwt

        if self.jwt_algorithm == "HS256":
            return self.signing_secret()
        if self.jwt_jwks_file is not None:
            keys = jwt.PyJWKSet.from_json(self.jwt_jwks_file.read_text())
            return _key_of_token(keys)
        if self.jwt_public_key_file is not None:
            return self.jwt_public_key_file.read_text()
        raise ValueError(f"{self.jwt_algorithm} needs JWT_PUBLIC_KEY_FILE or JWT_JWKS_FILE")

    def security_problems(self) -> list[str]:
        """Why a service must not start with these settings (none: it may)."""
        if self.jwt_algorithm != "HS256":
            try:
                self.jwt_verification_key()
            except (OSError, ValueError) as error:
                return [f"cannot read the token verification key: {error}"]
            return []
        secret = self.techmarket_jwt_secret
        if self.techmarket_dev_mode:
            return []
        if not secret:
            return ["TECHMARKET_JWT_SECRET is not set (or set TECHMARKET_DEV_MODE=1 for a "
                    "development market)"]
        if secret == DEV_JWT_SECRET:
            return ["TECHMARKET_JWT_SECRET is the development secret, which is public"]
        if len(secret.encode()) < 32:
            return ["TECHMARKET_JWT_SECRET is shorter than 32 bytes"]
        return []

    def database_role(self, service: str) -> str:
        """The service's own login role on DATABASE_URL's server (its database's name)."""
        return self.database_name(service)

    def database_password(self, service: str) -> str | None:
        secret: SecretStr | None = getattr(self, f"{_known(service)}_database_password")
        return secret.get_secret_value() if secret else None

    def manages_database_roles(self, service: str) -> bool:
        """Whether `techmarket migrate` makes the service's roles: not when the deployment
        hands the service a URL of its own (`<SERVICE>_DATABASE_URL`)."""
        return not getattr(self, f"{_known(service)}_database_url")

    def service_database_url(self, service: str) -> str:
        """What the service connects with: `<SERVICE>_DATABASE_URL`, else its own role and
        password on its database of DATABASE_URL's server."""
        explicit: str | None = getattr(self, f"{_known(service)}_database_url")
        if explicit:
            return explicit
        return with_credentials(with_database(self.database_url, self.database_name(service)),
                                self.database_role(service), self.database_password(service))

    def admin_database_url(self, service: str) -> str:
        """What the administrator's tools (migrations, replay) connect to the service's
        database with: `<SERVICE>_DATABASE_URL`, else DATABASE_URL on that database."""
        explicit: str | None = getattr(self, f"{_known(service)}_database_url")
        if explicit:
            return explicit
        return with_database(self.database_url, self.database_name(service))

    def service_port(self, service: str) -> int:
        port: int = getattr(self, f"{_known(service)}_port")
        return port

    def service_url(self, service: str) -> str:
        explicit: str | None = getattr(self, f"{_known(service)}_url")
        if explicit:
            return explicit.rstrip("/")
        return f"http://127.0.0.1:{self.service_port(service)}"

    def pool_size(self, service: str) -> int:
        """Database connections per process of `service`: `<SERVICE>_DB_POOL_SIZE` if set,
        else `DB_POOL_SIZE`."""
        own: int | None = getattr(self, f"{_known(service)}_db_pool_size")
        return own if own is not None else self.db_pool_size


def _known(service: str) -> str:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; one of {', '.join(SERVICES)}")
    return service


def _is_postgres(url: URL) -> bool:
    return url.drivername.split("+")[0] in ("postgres", "postgresql")


def with_database(url: str, database: str) -> str:
    """The same server, user and options as `url`, on another database."""
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def with_credentials(url: str, username: str | None, password: str | None) -> str:
    """The same server, database and options as `url`, as another user (or none)."""
    parsed = make_url(url)
    return URL.create(parsed.drivername, username, password, parsed.host, parsed.port,
                      parsed.database, parsed.query).render_as_string(hide_password=False)


def asyncpg_url(url: str) -> str:
    """SQLAlchemy URL for the asyncpg driver from any postgres URL."""
    parsed = make_url(url)
    if not _is_postgres(parsed):
        return url
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


def plain_url(url: str) -> str:
    """libpq/asyncpg URL (no SQLAlchemy driver suffix)."""
    parsed = make_url(url)
    if not _is_postgres(parsed):
        return url
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


@lru_cache
def get_settings() -> MarketSettings:
    return MarketSettings()


def _key_of_token(keys: Any) -> Callable[[str], Any]:
    import jwt

    def key(token: str) -> Any:
        kid = jwt.get_unverified_header(token).get("kid")
        candidates = [k for k in keys.keys if kid is None or k.key_id == kid]
        if len(candidates) != 1:
            raise jwt.InvalidKeyError(f"no single key for kid {kid!r} in the key set")
        return candidates[0].key

    return key
