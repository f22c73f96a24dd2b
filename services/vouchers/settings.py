"""Settings of the vouchers service alone (the market-wide ones are shared.settings)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import get_settings


class VouchersSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    # How often the sweepers look for reservations past their expires_at and for vouchers
    # past use-by. Both look through a partial index, so a short interval costs little and
    # keeps "expired" close to the clock.
    vouchers_sweep_seconds: float = 1.0
    # Most units of work one sweep does before yielding to the next interval.
    vouchers_sweep_batch: int = 200
    # SQLAlchemy's pre-ping (session pool only) costs three round trips (BEGIN, ping,
    # ROLLBACK) on every checkout. Without it, a connection the server dropped is found by
    # the statement using it, and the shared boundary runs the use case once more on a
    # fresh connection.
    vouchers_db_pre_ping: bool = False
    # Neither pool overflows: SQLAlchemy closes an overflow connection when it is
    # returned, so a steady load above the pool size opened (TLS attempt, login, a backend
    # forked) and closed a connection per request; 64 benchmark clients on two workers
    # spent ~4 % of the service's CPU, and PostgreSQL more, on that. Requests beyond the
    # pool wait for a connection instead.
    vouchers_db_max_overflow: int = 0
    # Connections per process of the SQLAlchemy session pool: what still runs on a session
    # (event consumer, sweepers, relay polling, the endpoints other than the hot paths).
    vouchers_db_session_pool_size: int = 10
    # uvicorn worker processes (each runs its own relay, consumer and sweepers, which are
    # all safe to run in several replicas).
    vouchers_workers: int = 1

    @property
    def vouchers_db_pool_size(self) -> int:
        """Connections per process for the hot paths (reserve, redeem, release: asyncpg's
        own pool, `Tx.run_sql`): VOUCHERS_DB_POOL_SIZE, 32 by default, which the
        market-wide settings hold so that any process can ask a service's pool size."""
        return get_settings().pool_size("vouchers")


@lru_cache
def get_vouchers_settings() -> VouchersSettings:
    return VouchersSettings()
