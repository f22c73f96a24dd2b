"""Run one service under uvicorn: `python -m services.<name>`."""

from __future__ import annotations

import uvicorn

from shared.settings import get_settings


def serve(service: str, app_path: str) -> None:
    settings = get_settings()
    uvicorn.run(app_path, host=settings.host, port=settings.service_port(service),
                log_config=None, access_log=False, lifespan="on", timeout_graceful_shutdown=5)
