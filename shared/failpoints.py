"""Named crash points for fault-injection tests.

`TECHMARKET_FAILPOINTS=relay.before_publish` makes the process die (exit 137, as a kill -9
would) the first time it reaches that point, so tests can prove crash-safety with a real
process crash at an exact place instead of a mock.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def _armed() -> set[str]:
    return {p.strip() for p in os.environ.get("TECHMARKET_FAILPOINTS", "").split(",") if p.strip()}


def failpoint(name: str) -> None:
    if name not in _armed():
        return
    # With TECHMARKET_FAILPOINT_DIR set, each point fires once across restarts, so a
    # supervised process that is restarted with the same environment then runs normally.
    marker_dir = os.environ.get("TECHMARKET_FAILPOINT_DIR")
    if marker_dir:
        marker = Path(marker_dir) / f"{name}.fired"
        if marker.exists():
            return
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    log.error("failpoint %s reached: crashing on purpose", name)
    logging.shutdown()
    os._exit(137)
