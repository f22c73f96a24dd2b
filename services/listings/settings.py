"""Settings of the listings service alone (environment variables `LISTINGS_*`)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class ListingsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LISTINGS_", extra="ignore")

    # uvicorn worker processes; each runs its own relay, consumer and jobs, which the
    # shared library makes safe (relay advisory lock, consumer group, SKIP LOCKED).
    workers: int = 1
    # How often lapsed listings are looked for: an indexed query, so cheap to run often.
    expiry_every_seconds: float = 5.0
    expiry_batch_size: int = 200


@lru_cache
def get_listings_settings() -> ListingsSettings:
    return ListingsSettings()
