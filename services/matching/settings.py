"""Settings of the matching service alone (environment variables `MATCHING_*`)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MatchingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MATCHING_", extra="ignore")

    # Kafka consumer group and inbox name of the first replica. Every replica needs the
    # WHOLE feed for its own in-memory index, so replica k follows it as `<group>-k`
    # (see use_cases/replicas.py); the read model's versions keep their shared database
    # consistent.
    consumer_group: str = "matching"
    # Processes on the one port (shared/workers.py): each is a replica with its own index
    # (~0.6 GB at 100,000 offers), so queries use every core.
    workers: int = Field(default=1, ge=1, le=32)
    # An idle feed polls the broker this often: the index may lag a publish by up to this
    # much, and each replica's idle polling costs no CPU to speak of (10 ms, the default
    # of the latency-critical consumers, cost 0.06 of a core per replica plus the broker's).
    fetch_max_wait_ms: int = Field(default=100, ge=1, le=5000)
    # A need's description as the query covers a small share of any offer's text, so
    # need ↔ offer scores run lower than a short search's: a sensible match scores ≥ 0.3.
    default_min_score: float = Field(default=0.3, ge=0.0, le=1.0)
    # match.suggested: the best few matches at or above this score, when a listing is published.
    suggest_count: int = Field(default=3, ge=0, le=20)
    suggest_min_score: float = Field(default=0.45, ge=0.0, le=1.0)
    # Only for publications at most this old (the event's time): catching up on a long
    # topic (a first deployment, a restored database) must not notify brokers about
    # listings published months ago, nor spend its time ranking them.
    suggest_within_hours: float = Field(default=24.0, ge=0.0)
    # Listings read and indexed per step of the start-up rebuild; between steps the event
    # loop answers /healthz and /readyz.
    rebuild_page_size: int = Field(default=200, ge=1)


@lru_cache
def get_matching_settings() -> MatchingSettings:
    return MatchingSettings()
