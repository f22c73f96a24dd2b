"""The whole market on one machine: Postgres, broker, databases, migrations, topics and the
four services, supervised: a service that dies is restarted with backoff, and so are the
embedded Postgres and broker (see `techmarket.healing`).

Used by `techmarket up` and by the test suite, so tests run what users run.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from shared import migrations
from shared.backoff import Backoff
from shared.kafka import Broker, ensure_topics, market_topics
from shared.settings import DEFAULT_PORTS, SERVICES, MarketSettings, with_credentials
from techmarket.embedded import EmbeddedBroker, EmbeddedPostgres
from techmarket.extras import require_embedded
from techmarket.healing import Healer
from techmarket.processes import die_with_parent, kill_leftover, port_in_use, stop, write_pid
from techmarket.settings import UpSettings

log = logging.getLogger("techmarket")


@dataclass
class StackConfig:
    workdir: Path
    database_url: str | None = None
    kafka_bootstrap: str | None = None
    pg_port: int = 5544
    broker_port: int = 9092
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    jwt_secret: str | None = None
    fast_postgres: bool = False
    extra_env: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, workdir: Path) -> StackConfig:
        up, market = UpSettings(), MarketSettings()
        return cls(workdir=workdir, database_url=up.database_url,
                   kafka_bootstrap=up.kafka_bootstrap_servers, pg_port=up.techmarket_pg_port,
                   broker_port=up.techmarket_broker_port,
                   ports={s: market.service_port(s) for s in SERVICES},
                   jwt_secret=up.techmarket_jwt_secret)


class ServiceProcess:
    """One service process, restarted with backoff when it dies."""

    def __init__(self, name: str, env: dict[str, str], log_path: Path, run_dir: Path) -> None:
        self.name = name
        self.env = env
        self.log_path = log_path
        self.pid_file = run_dir / f"{name}.pid"
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._backoff = Backoff(first=0.5, cap=15.0)
        self._next_start = 0.0
        # Stopped on purpose (while the broker is healed): not restarted by supervise().
        self.halted = False

    def start(self) -> None:
        kill_leftover(self.pid_file, f"services.{self.name}")
        self.proc = subprocess.Popen([sys.executable, "-m", f"services.{self.name}"],
                                     env=self.env, stdout=self.log_path.open("ab"),
                                     stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        write_pid(self.pid_file, self.proc.pid)

    def supervise(self, announce: Callable[[str], None] = log.warning) -> None:
        if self.halted or self.proc is None or self.proc.poll() is None:
            return
        now = time.monotonic()
        if self._next_start == 0.0:
            delay = self._backoff.delay()
            announce(f"the {self.name} service exited with code {self.proc.returncode}; "
                     f"restarting it in {delay:.1f}s")
            self._next_start = now + delay
        elif now >= self._next_start:
            self.restarts += 1
            self._next_start = 0.0
            self.start()

    def stop(self) -> None:
        stop(self.proc)
        self.pid_file.unlink(missing_ok=True)

    def halt(self) -> None:
        """Stop the service and every process it started (its workers), and wait for them."""
        self.halted = True
        family = _descendants(self.proc)
        stop(self.proc, timeout=5)
        _gone, alive = psutil.wait_procs(family, timeout=10)
        for proc in alive:
            proc.kill()
        self.pid_file.unlink(missing_ok=True)

    def resume(self) -> None:
        self.halted = False
        self._next_start = 0.0
        self.start()


def _descendants(proc: subprocess.Popen[bytes] | None) -> list[psutil.Process]:
    if proc is None:
        return []
    try:
        return list(psutil.Process(proc.pid).children(recursive=True))
    except psutil.NoSuchProcess:
        return []


class Stack:
    def __init__(self, config: StackConfig) -> None:
        self.config = config
        self.postgres: EmbeddedPostgres | None = None
        self.broker: EmbeddedBroker | None = None
        self.services: dict[str, ServiceProcess] = {}
        self.run_dir = config.workdir / "run"
        self.log_dir = config.workdir / "logs"
        self._stopping = threading.Event()
        # One supervise step at a time, and none once stop() has begun.
        self._lock = threading.RLock()
        # Where the supervisor says what it saw and did (`techmarket up`: its console).
        self.announce: Callable[[str], None] = log.warning
        self.healer = Healer(self)
        # The services' database passwords, new at every start (`techmarket migrate` sets
        # them), unless the environment gives them.
        self.passwords = {s: secrets.token_urlsafe(32) for s in SERVICES}

    @property
    def database_url(self) -> str:
        if self.config.database_url:
            return self.config.database_url
        assert self.postgres
        return self.postgres.url

    @property
    def bootstrap(self) -> str:
        if self.config.kafka_bootstrap:
            return self.config.kafka_bootstrap
        assert self.broker
        return self.broker.bootstrap

    @property
    def topic_partitions(self) -> int:
        wanted = self.config.extra_env.get("TOPIC_PARTITIONS")
        return int(wanted) if wanted else self.settings().topic_partitions

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.config.ports[service]}"

    def settings(self) -> MarketSettings:
        """The market's settings as the administrator's tools (migrations) read them."""
        return MarketSettings.of_environment(self.admin_env())

    def service_database_url(self, service: str) -> str:
        """The administrator's URL of the service's database (tests and tools inspect and
        mend the books with it; the service itself connects with `login_url`)."""
        return self.settings().admin_database_url(service)

    def login_url(self, service: str) -> str:
        """The URL the service connects with: its own role, its own database."""
        return MarketSettings.of_environment(self.service_env(service)).service_database_url(
            service)

    def start_infrastructure(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        if not self.config.database_url:
            require_embedded("PostgreSQL server")
            self.postgres = EmbeddedPostgres(self.config.workdir / "pgdata",
                                             self.config.pg_port, fast=self.config.fast_postgres)
            self.postgres.start()
        if not self.config.kafka_bootstrap:
            require_embedded("Kafka-compatible broker")
            self.broker = EmbeddedBroker(self.run_dir, self.config.broker_port)
            self.broker.start()
        asyncio.run(ensure_topics(Broker.of(self.settings()), market_topics(),
                                  self.topic_partitions))
        migrations.migrate(self.settings())

    def admin_env(self) -> dict[str, str]:
        """The whole market's environment: the administrator's DATABASE_URL and every
        service's database password."""
        env = {**os.environ, **self.config.extra_env, "DATABASE_URL": self.database_url,
               "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap, "PYTHONUNBUFFERED": "1"}
        if self.config.jwt_secret:
            env["TECHMARKET_JWT_SECRET"] = self.config.jwt_secret
        for service, port in self.config.ports.items():
            env[f"{service.upper()}_PORT"] = str(port)
            env.setdefault(f"{service.upper()}_URL", self.url(service))
        for service, password in self.passwords.items():
            if not env.get(f"{service.upper()}_DATABASE_PASSWORD"):
                env[f"{service.upper()}_DATABASE_PASSWORD"] = password
        return env

    def service_env(self, service: str) -> dict[str, str]:
        """What `service` is started with: its own database URL or password, no other
        service's, and the database server's address without the administrator's
        credentials."""
        env = self.admin_env()
        for other in SERVICES:
            if other != service:
                env.pop(f"{other.upper()}_DATABASE_URL", None)
                env.pop(f"{other.upper()}_DATABASE_PASSWORD", None)
        env["DATABASE_URL"] = with_credentials(self.database_url, None, None)
        return env

    def start_services(self, names: tuple[str, ...] = SERVICES) -> None:
        for name in names:
            if port_in_use(self.config.ports[name]):
                kill_leftover(self.run_dir / f"{name}.pid", f"services.{name}")
            proc = ServiceProcess(name, self.service_env(name), self.log_dir / f"{name}.log",
                                  self.run_dir)
            proc.start()
            self.services[name] = proc

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.services)
        while pending and time.monotonic() < deadline:
            for name in list(pending):
                self.services[name].supervise(self.announce)
                try:
                    if httpx.get(f"{self.url(name)}/readyz", timeout=2).status_code == 200:
                        pending.discard(name)
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        if pending:
            raise RuntimeError(f"not ready after {timeout:.0f}s: {', '.join(sorted(pending))}; "
                               f"see logs in {self.log_dir}")

    def supervise(self) -> None:
        """One look at every process: restart what died (Postgres, broker, services)."""
        with self._lock:
            if self._stopping.is_set():
                return
            self.healer.tick()
            for proc in self.services.values():
                proc.supervise(self.announce)

    def halt_services(self) -> None:
        for proc in self.services.values():
            proc.halt()

    def resume_services(self) -> None:
        for proc in self.services.values():
            if proc.halted:
                proc.resume()

    def supervise_in_background(self, interval: float = 0.2) -> None:
        def loop() -> None:
            while not self._stopping.wait(interval):
                try:
                    self.supervise()
                except Exception:
                    log.exception("supervisor step failed")

        threading.Thread(target=loop, name="supervisor", daemon=True).start()

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            for proc in self.services.values():
                proc.stop()
            if self.broker:
                self.broker.stop()
            if self.postgres:
                self.postgres.stop()


def ephemeral_stack(services: tuple[str, ...] = SERVICES, *,
                    extra_env: dict[str, str] | None = None, workdir: Path | None = None,
                    fast_postgres: bool = True, jwt_secret: str | None = None,
                    database_url: str | None = None, pg_port: int | None = None) -> Stack:
    """A whole market on free ports in a temporary folder (tests, benchmarks); on the
    embedded Postgres (on `pg_port` if given) unless `database_url` names a server."""
    import tempfile

    from techmarket.processes import free_port

    workdir = workdir or Path(tempfile.mkdtemp(prefix="techmarket-"))
    config = StackConfig(workdir=workdir, database_url=database_url,
                         pg_port=pg_port or free_port(), broker_port=free_port(),
                         ports={s: free_port() for s in SERVICES}, jwt_secret=jwt_secret,
                         fast_postgres=fast_postgres,
                         extra_env={"RELAY_POLL_SECONDS": "0.5", **(extra_env or {})})
    stack = Stack(config)
    stack.start_infrastructure()
    stack.start_services(services)
    stack.wait_ready(120)
    return stack
