"""Settings of the deals service alone (environment variables `DEALS_*`)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class DealsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DEALS_", extra="ignore")

    # Processes serving the port, each on its own socket (shared/workers.py). Each runs its
    # own relay and consumer, which the shared library makes safe (relay advisory lock,
    # consumer group); registration numbers are safe too: the counter row is the only
    # allocator, whichever process registers.
    workers: int = 1


@lru_cache
def get_deals_settings() -> DealsSettings:
    return DealsSettings()
