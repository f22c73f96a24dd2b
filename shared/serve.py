"""Run one service under uvicorn: `python -m services.<name>`.

With `workers` > 1, that many processes serve the one port (see shared/workers.py); each
runs its own relay, consumers and jobs, which the shared library keeps safe (the relay's
advisory lock, consumer groups, SKIP LOCKED).
"""

from __future__ import annotations

import sys

import uvicorn

from shared.settings import get_settings
from shared.workers import KEEP_ALIVE_SECONDS, serve_workers


def serve(service: str, app_path: str, workers: int = 1) -> None:
    settings = get_settings()
    problems = settings.security_problems()
    if problems:  # before any worker starts; the app's start-up checks again
        sys.exit(f"{service} refuses to start: {'; '.join(problems)}")
    port = settings.service_port(service)
    if workers > 1:
        serve_workers(app_path, settings.host, port, workers)
        return
    uvicorn.run(app_path, host=settings.host, port=port, log_config=None, access_log=False,
                lifespan="on", timeout_graceful_shutdown=5,
                timeout_keep_alive=KEEP_ALIVE_SECONDS)
