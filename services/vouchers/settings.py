"""Settings of the vouchers service alone (the market-wide ones are shared.settings)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class VouchersSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    # How often the sweepers look for reservations past their expires_at and for vouchers
    # past use-by. Both look through a partial index, so a short interval costs little and
    # keeps "expired" close to the clock.
    vouchers_sweep_seconds: float = 1.0
    # Most units of work one sweep does before yielding to the next interval.
    vouchers_sweep_batch: int = 200
    # uvicorn worker processes (each runs its own relay, consumer and sweepers, which are
    # all safe to run in several replicas).
    vouchers_workers: int = 1


@lru_cache
def get_vouchers_settings() -> VouchersSettings:
    return VouchersSettings()
