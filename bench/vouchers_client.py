"""A minimal keep-alive HTTP/1.1 JSON client for the vouchers benchmark's load generator.

httpx spends several times the CPU of the request itself; on a two-core machine shared
with the service and PostgreSQL that would measure the client, not the service. This
speaks just enough HTTP/1.1 for uvicorn's JSON answers (Content-Length bodies).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import orjson


class Connection:
    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        url = urlsplit(base_url)
        self.host, self.port = url.hostname or "127.0.0.1", url.port or 80
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()

    async def post(self, path: str, body: Any, headers: str = "") -> tuple[int, Any]:
        payload = orjson.dumps(body)
        head = (f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                f"{self.headers}{headers}\r\n")
        assert self.writer is not None and self.reader is not None
        self.writer.write(head.encode() + payload)
        status = int((await self.reader.readuntil(b"\r\n")).split()[1])
        length = 0
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        raw = await self.reader.readexactly(length) if length else b"null"
        return status, orjson.loads(raw)
