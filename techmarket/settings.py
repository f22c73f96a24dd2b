"""Settings of `techmarket up` itself: what it starts and where it keeps its files.

The services' and `techmarket migrate`'s settings are shared.settings.MarketSettings; here
only what decides whether the embedded servers run, and their ports and folder.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class UpSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False,
                                      env_ignore_empty=True)

    # Unset: start the embedded PostgreSQL server (the `embedded` extra) and use it.
    database_url: str | None = None
    # Unset: start the embedded Tansu broker (the `embedded` extra) and use it.
    kafka_bootstrap_servers: str | None = None
    techmarket_jwt_secret: str | None = None
    # Where the embedded data, logs and pid files live.
    techmarket_home: Path = Path(".techmarket")
    techmarket_pg_port: int = 5544
    techmarket_broker_port: int = 9092
