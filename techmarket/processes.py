"""Child-process helpers: free ports, pid files, leftovers of a crashed run."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
from pathlib import Path

import psutil

# preexec_fn of every child: it gets SIGTERM if `techmarket up` itself is killed.
from shared.workers import die_with_parent

__all__ = ["alive", "die_with_parent", "free_port", "kill_leftover", "port_in_use", "stop",
           "write_pid"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.2)
        return s.connect_ex((host, port)) == 0


def write_pid(path: Path, pid: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(pid))


def kill_leftover(pid_file: Path, marker: str) -> bool:
    """Kill the process named in `pid_file` if it is still ours (cmdline contains `marker`)."""
    if not pid_file.exists():
        return False
    try:
        proc = psutil.Process(int(pid_file.read_text().strip() or 0))
        if marker not in " ".join(proc.cmdline()):
            return False
        proc.terminate()
        try:
            proc.wait(5)
        except psutil.TimeoutExpired:
            proc.kill()
        return True
    except (ValueError, psutil.NoSuchProcess, psutil.AccessDenied):
        return False
    finally:
        pid_file.unlink(missing_ok=True)


def stop(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM,
         timeout: float = 10) -> None:
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)
    except ProcessLookupError:
        pass


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False
