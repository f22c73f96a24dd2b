"""The market's middleware on a small app of its own: rate limits per client address, security
headers, and a readable 413 for an over-long body."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, Request

from shared.errors import Unauthorized, install_error_handlers
from shared.middleware import Limits, MarketMiddleware
from shared.rate_limits import RateLimit


def _app(anonymous: float = 1000, failed: float = 1000) -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(MarketMiddleware, limits=Limits(
        max_body_bytes=1024, drain_bytes=64 * 1024,
        anonymous=RateLimit(per_minute=anonymous, burst=anonymous),
        failed_auth=RateLimit(per_minute=failed, burst=failed)))

    @app.get("/open")
    async def open_route() -> dict[str, str]:
        return {"ok": "yes"}

    @app.get("/private")
    async def private(request: Request) -> dict[str, str]:
        if request.headers.get("authorization") != "Bearer good":
            raise Unauthorized("invalid token")
        return {"ok": "yes"}

    @app.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"length": len(await request.body())}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _client(app: FastAPI, address: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://market")


async def test_requests_without_credentials_are_limited_per_address() -> None:
    app = _app(anonymous=3)
    async with _client(app) as client, _client(app, "198.51.100.9") as other:
        assert [(await client.get("/open")).status_code for _ in range(3)] == [200] * 3
        refused = await client.get("/open")
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert int(refused.headers["retry-after"]) >= 1
        assert "without credentials" in refused.json()["detail"]
        assert (await other.get("/open")).status_code == 200  # another address is not
        assert (await client.get("/healthz")).status_code == 200  # probes never are


async def test_failed_authentications_are_limited_per_address() -> None:
    app = _app(failed=2)
    async with _client(app) as client:
        bad = {"Authorization": "Bearer forged"}
        assert [(await client.get("/private", headers=bad)).status_code
                for _ in range(2)] == [401, 401]
        refused = await client.get("/private", headers={"Authorization": "Bearer good"})
        assert refused.status_code == 429
        assert "failed authentications" in refused.json()["detail"]


async def test_every_answer_says_nosniff_and_authenticated_ones_are_not_cached() -> None:
    async with _client(_app()) as client:
        anonymous = await client.get("/open")
        assert anonymous.headers["x-content-type-options"] == "nosniff"
        assert "cache-control" not in anonymous.headers
        private = await client.get("/private", headers={"Authorization": "Bearer good"})
        assert private.headers["cache-control"] == "no-store"
        assert private.headers["x-content-type-options"] == "nosniff"


async def test_an_over_long_body_gets_a_problem_document() -> None:
    async with _client(_app()) as client:
        declared = await client.post("/echo", content=b"x" * 4096)
        assert declared.status_code == 413
        assert declared.json()["title"] == "Payload too large"

        async def chunks():  # no Content-Length: found while reading
            for _ in range(8):
                yield b"y" * 512

        streamed = await client.post("/echo", content=chunks())
        assert streamed.status_code == 413
        assert (await client.post("/echo", content=b"z" * 100)).json() == {"length": 100}
