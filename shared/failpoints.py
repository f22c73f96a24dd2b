"""Named crash points for fault-injection tests.

`TECHMARKET_FAILPOINTS=relay.before_publish` makes the process die (exit 137, as a kill -9
would) the first time it reaches that point, so tests can prove crash-safety with a real
process crash at an exact place instead of a mock.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

log = logging.getLogger(__name__)


class FailpointSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TECHMARKET_", extra="ignore")

    # Comma-separated names of the armed points (TECHMARKET_FAILPOINTS).
    failpoints: str = ""
    # With a folder (TECHMARKET_FAILPOINT_DIR), each point fires once across restarts, so a
    # supervised process that is restarted with the same environment then runs normally.
    failpoint_dir: Path | None = None

    @property
    def armed(self) -> frozenset[str]:
        return frozenset(p.strip() for p in self.failpoints.split(",") if p.strip())


@lru_cache
def _settings() -> FailpointSettings:
    return FailpointSettings()


def failpoint(name: str) -> None:
    settings = _settings()
    if name not in settings.armed:
        return
    if settings.failpoint_dir:
        marker = settings.failpoint_dir / f"{name}.fired"
        if marker.exists():
            return
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    log.error("failpoint %s reached: crashing on purpose", name)
    logging.shutdown()
    os._exit(137)
