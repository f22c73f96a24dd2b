"""ASGI middleware: correlation id, request-size limit, rate limits, security headers,
latency metrics."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.context import correlation_id
from shared.errors import problem
from shared.metrics import HTTP_REQUESTS
from shared.rate_limits import RateLimit

# Probes of an orchestrator: never limited (keep them off the public network).
PROBES = frozenset({"/healthz", "/readyz", "/metrics"})


class _TooLarge(Exception):
    pass


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int
    # A body over the limit is read and thrown away up to this many bytes before the 413 is
    # sent: a client still sending when the server answers and closes gets a connection
    # reset instead of the answer. Beyond it the connection is closed after the answer.
    drain_bytes: int
    anonymous: RateLimit
    failed_auth: RateLimit


class MarketMiddleware:
    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-correlation-id", b"").decode("latin-1")[:100]
        cid = given if given.isprintable() and given else uuid.uuid4().hex
        correlation_id.set(cid)
        client = (scope.get("client") or ("-",))[0]
        credentials = b"authorization" in headers
        status: dict[str, Any] = {"code": 500}
        started = time.perf_counter()
        try:
            if await self._refused(scope, receive, send, client, credentials):
                status["code"] = 429
                return
            declared = headers.get(b"content-length", b"0")
            if declared.isdigit() and int(declared) > self.limits.max_body_bytes:
                status["code"] = 413
                await self._too_large(scope, receive, send)
                return
            await self._answer(scope, receive, send, status, cid, client, credentials)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", "unmatched")
            HTTP_REQUESTS.labels(scope["method"], path, str(status["code"])).observe(
                time.perf_counter() - started)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, status: dict[str, Any],
                      cid: str, client: str, credentials: bool) -> None:
        async def marking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                extra = message.setdefault("headers", [])
                extra += [(b"x-correlation-id", cid.encode()),
                          (b"x-content-type-options", b"nosniff")]
                if credentials:
                    extra.append((b"cache-control", b"no-store"))
                if message["status"] == 401:
                    self.limits.failed_auth.spend(client)
            await send(message)

        try:
            await self.app(scope, self._limited(receive), marking_send)
        except _TooLarge:
            status["code"] = 413
            await self._too_large(scope, receive, send)

    async def _refused(self, scope: Scope, receive: Receive, send: Send, client: str,
                       credentials: bool) -> bool:
        if scope.get("path") in PROBES:
            return False
        wait = (self.limits.failed_auth.wait(client) if credentials
                else self.limits.anonymous.take(client))
        if not wait:
            return False
        why = ("too many failed authentications from this address" if credentials
               else "too many requests without credentials from this address")
        response = problem(429, "Too many requests", f"{why}; retry after {wait} s",
                           "too-many-requests", headers={"Retry-After": str(wait)})
        await response(scope, receive, send)
        return True

    def _limited(self, receive: Receive) -> Receive:
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limits.max_body_bytes:
                raise _TooLarge()
            return message

        return limited

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        drained = await _drain(receive, self.limits.drain_bytes)
        headers = None if drained else {"Connection": "close"}
        response = problem(413, "Payload too large",
                           f"request bodies are limited to {self.limits.max_body_bytes} bytes",
                           "payload-too-large", headers=headers)
        await response(scope, receive, send)


async def _drain(receive: Receive, bound: int) -> bool:
    """Reads and discards the rest of the request body, up to `bound` bytes: True when the
    whole body was read."""
    read = 0
    while read <= bound:
        message = await receive()
        if message["type"] != "http.request":
            return False
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return True
    return False
