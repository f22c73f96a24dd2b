"""Shared bits of the benchmark scripts: percentiles, machine facts, CPU per process,
writing results."""

from __future__ import annotations

import json
import os
import platform
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil

if TYPE_CHECKING:
    from techmarket.stack import Stack

RESULTS = Path(__file__).resolve().parent / "results"
# The benchmark market is not in development mode: it verifies with a secret of this run.
BENCH_JWT_SECRET = secrets.token_urlsafe(48)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "measured_at": datetime.now(UTC).isoformat()}


def write_results(name: str, figures: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **figures}, indent=2, ensure_ascii=False))
    return path


def processes(stack: Stack) -> dict[str, psutil.Process]:
    found = {name: psutil.Process(proc.proc.pid) for name, proc in stack.services.items()
             if proc.proc}
    if stack.postgres and stack.postgres.proc:
        found["postgres"] = psutil.Process(stack.postgres.proc.pid)
    if stack.broker and getattr(stack.broker, "proc", None):
        found["broker"] = psutil.Process(stack.broker.proc.pid)
    found["load generator"] = psutil.Process(os.getpid())
    return found


def cpu_seconds(name: str, proc: psutil.Process) -> float:
    """CPU time of a process; postgres's and the broker's include their children (the
    backends), the load generator's not (the services are its children)."""
    family = [proc] if name == "load generator" else [proc, *proc.children(recursive=True)]
    total = 0.0
    for p in family:
        try:
            times = p.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def busy_seconds() -> float:
    times = psutil.cpu_times()
    return float(sum(times) - times.idle - getattr(times, "iowait", 0.0))
