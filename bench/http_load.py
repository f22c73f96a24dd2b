"""A lean HTTP/1.1 load generator for the benchmarks.

The load runs on the same two cores as the service and Postgres, so its own cost counts:
a keep-alive connection per worker over asyncio streams (uvloop) costs a fraction of a
general HTTP client per request, leaving the CPU to what is measured.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import orjson

Request = tuple[str, str, dict[str, str], bytes | None]  # method, path, headers, body
_JSON = {"Content-Type": "application/json"}


class Connection:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, headers: dict[str, str],
                      body: bytes | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                 f"Content-Length: {len(body or b'')}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b""))
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        return status, await self.reader.readexactly(length)

    async def post_json(self, path: str, body: Any,
                        headers: dict[str, str]) -> tuple[int, Any]:
        """POST a JSON body; the status and the decoded JSON answer (None when empty)."""
        status, raw = await self.request("POST", path, {**headers, **_JSON}, orjson.dumps(body))
        return status, orjson.loads(raw) if raw else None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


async def run_load(base_url: str, concurrency: int, seconds: float,
                   next_request: Callable[[int, int], Request],
                   expected_status: int) -> LoadResult:
    """`concurrency` workers, each sending `next_request(worker, n)` back to back."""
    result = LoadResult()
    deadline = time.perf_counter() + seconds

    async def worker(number: int) -> None:
        connection = Connection(base_url)
        sent = 0
        try:
            while time.perf_counter() < deadline:
                method, path, headers, body = next_request(number, sent)
                started = time.perf_counter()
                status, answer = await connection.request(method, path, headers, body)
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status != expected_status and len(result.errors) < 5:
                    result.errors.append(f"{status}: {answer[:300]!r}")
                sent += 1
        finally:
            connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    result.seconds = time.perf_counter() - started
    return result
