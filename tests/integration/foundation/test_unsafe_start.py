"""A service refuses to start when anyone could mint its tokens: no secret, a short one, or
the development secret outside development mode."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from shared.settings import DEV_JWT_SECRET
from techmarket.processes import free_port

UNSET = {"TECHMARKET_JWT_SECRET", "TECHMARKET_DEV_MODE", "JWT_ALGORITHM"}


def _start(service: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    clean[f"{service.upper()}_PORT"] = str(free_port())
    return subprocess.run([sys.executable, "-m", f"services.{service}"], env={**clean, **env},
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("why", "env"), [
    ("not set", {}),
    ("shorter than 32 bytes", {"TECHMARKET_JWT_SECRET": "too-short"}),
    ("the development secret", {"TECHMARKET_JWT_SECRET": DEV_JWT_SECRET}),
])
@pytest.mark.parametrize("service", ["listings", "vouchers"])
def test_a_service_without_a_safe_secret_does_not_start(service: str, why: str,
                                                        env: dict[str, str]) -> None:
    done = _start(service, **env)
    assert done.returncode != 0
    assert f"{service} refuses to start" in done.stderr
    assert "TECHMARKET_JWT_SECRET" in done.stderr
