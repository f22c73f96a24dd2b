"""Run one service under uvicorn: `python -m services.<name>`.

With `workers` > 1, uvicorn runs that many processes on the one port; each runs its own
relay, consumers and jobs, which the shared library keeps safe (the relay's advisory lock,
consumer groups, SKIP LOCKED).
"""

from __future__ import annotations

import uvicorn

from shared.settings import get_settings


def serve(service: str, app_path: str, workers: int = 1) -> None:
    settings = get_settings()
    uvicorn.run(app_path, host=settings.host, port=settings.service_port(service),
                workers=workers if workers > 1 else None, log_config=None, access_log=False,
                lifespan="on", timeout_graceful_shutdown=5)
