"""`techmarket up`: start everything, print URLs and tokens, keep every process running
(saying on the console what died and what was done about it), stop everything on Ctrl-C."""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path
from types import FrameType

from sqlalchemy.engine import make_url

from shared.auth import mint_token
from shared.settings import SERVICES, get_settings
from techmarket.stack import Stack, StackConfig


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop()


def run_up(workdir: Path, *, seed: bool = False) -> int:
    settings = get_settings()
    problems = settings.security_problems()
    if problems:
        for problem in problems:
            print(f"techmarket up: {problem}", file=sys.stderr)
        return 2
    if settings.techmarket_dev_mode:
        print("DEVELOPMENT MODE (TECHMARKET_DEV_MODE=1): tokens signed with the development "
              "secret are accepted and printed below; never run a real market like this.",
              flush=True)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    workdir = workdir.resolve()
    stack = Stack(StackConfig.from_env(workdir))
    stack.announce = _announce
    started = time.monotonic()
    try:
        print("starting Postgres and the broker ...", flush=True)
        stack.start_infrastructure()
        print("starting the services ...", flush=True)
        stack.start_services()
        stack.wait_ready()
        print(f"market ready in {time.monotonic() - started:.1f}s\n", flush=True)
        if settings.techmarket_dev_mode:
            _print_banner(stack)
        if seed:
            from techmarket.seed import run_seed

            run_seed()
        while True:
            stack.supervise()
            time.sleep(0.5)
    except (_Stop, KeyboardInterrupt):
        print("\nstopping ...", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        stack.stop()
        print("stopped.", flush=True)


def _announce(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def _print_banner(stack: Stack) -> None:
    for name in SERVICES:
        print(f"  {name:9s} {stack.url(name)}   docs: {stack.url(name)}/docs")
    print(f"  postgres  {make_url(stack.database_url).render_as_string(hide_password=True)}")
    print(f"  kafka     {stack.bootstrap}")
    print(f"  logs      {stack.log_dir}\n")
    secret = get_settings().signing_secret()
    print("development tokens (24 h; more with `.venv/bin/techmarket token --help`):")
    for region in ("BJ", "TJ", "HE"):
        token = mint_token(secret, role="operator", region=region, sub=f"operator-{region}",
                           ttl_seconds=24 * 3600)
        print(f"  operator {region}: {token}")
    print("\nCtrl-C stops everything.", flush=True)
