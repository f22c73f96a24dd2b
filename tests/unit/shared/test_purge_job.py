"""Every service runs the purge of expired Idempotency-Keys (shared.app registers it)."""

from __future__ import annotations

from shared.app import IDEMPOTENCY_PURGE_SECONDS, idempotency_purge_job
from shared.settings import MarketSettings


def test_the_purge_job_runs_every_few_minutes() -> None:
    job = idempotency_purge_job()
    assert job.name == "idempotency-keys-purge"
    assert job.every_seconds == IDEMPOTENCY_PURGE_SECONDS <= 3600


def test_keys_live_a_day_unless_set_otherwise() -> None:
    assert MarketSettings().idempotency_key_ttl_hours == 24
    assert MarketSettings(idempotency_key_ttl_hours=1).idempotency_key_ttl_hours == 1
