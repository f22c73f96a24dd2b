"""The FastAPI application every service is built from."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from shared.db import Mode
from shared.errors import install_error_handlers
from shared.logs import configure_logging
from shared.middleware import Limits, MarketMiddleware
from shared.rate_limits import RateLimit
from shared.replay import replay_router
from shared.runtime import ConsumerSpec, Job, Runtime
from shared.settings import MarketSettings, get_settings
from shared.transaction import purge_expired_keys

# How often every service deletes its expired Idempotency-Keys.
IDEMPOTENCY_PURGE_SECONDS = 600.0


@dataclass
class ServiceSpec:
    name: str
    description: str
    routers: list[APIRouter]
    consumers: list[ConsumerSpec] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)
    on_start: list[Callable[[Runtime], Awaitable[None]]] = field(default_factory=list)


def create_app(spec: ServiceSpec, settings: MarketSettings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(spec.name, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        refuse_unsafe_start(spec.name, settings)
        runtime = await Runtime.open(spec.name, settings,
                                     pool_size=settings.pool_size(spec.name))
        app.state.runtime = runtime
        for hook in spec.on_start:
            await hook(runtime)
        await runtime.start(spec.consumers, [*spec.jobs, idempotency_purge_job()])
        try:
            yield
        finally:
            await runtime.stop()

    app = FastAPI(title=f"Jingjinji Technology Market — {spec.name}",
                  description=spec.description, version="1.0.0", lifespan=lifespan)
    install_error_handlers(app)
    app.add_middleware(MarketMiddleware, limits=limits_of(settings))
    app.include_router(health_router())
    app.include_router(replay_router(spec.name))
    for router in spec.routers:
        app.include_router(router)
    return app


def idempotency_purge_job() -> Job:
    """The job every service runs: expired Idempotency-Keys deleted in batches."""

    async def purge(runtime: Runtime) -> None:
        await purge_expired_keys(runtime.database,
                                 runtime.settings.idempotency_key_ttl_hours * 3600)

    return Job("idempotency-keys-purge", every_seconds=IDEMPOTENCY_PURGE_SECONDS, run=purge)


class UnsafeToStart(RuntimeError):
    """The settings would let anyone in (e.g. a missing or public token secret)."""


def refuse_unsafe_start(service: str, settings: MarketSettings) -> None:
    problems = settings.security_problems()
    if problems:
        raise UnsafeToStart(f"{service} refuses to start: {'; '.join(problems)}")


def limits_of(settings: MarketSettings) -> Limits:
    anonymous = settings.rate_limit_anonymous_per_minute
    failed = settings.rate_limit_failed_auth_per_minute
    return Limits(max_body_bytes=settings.max_body_bytes,
                  drain_bytes=settings.drain_body_bytes,
                  anonymous=RateLimit(per_minute=anonymous, burst=anonymous),
                  failed_auth=RateLimit(per_minute=failed, burst=failed))


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz(request: Request) -> JSONResponse:
        runtime: Runtime = request.app.state.runtime
        checks = {"database": await _database_ok(runtime), "kafka": await _kafka_ok(runtime)}
        checks.update({name: check() for name, check in runtime.readiness.items()})
        ok = all(checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                            status_code=200 if ok else 503)

    @router.get("/metrics")
    async def metrics() -> PlainTextResponse:
        return PlainTextResponse(generate_latest().decode(), media_type=CONTENT_TYPE_LATEST)

    return router


async def _database_ok(runtime: Runtime) -> bool:
    try:
        async with asyncio.timeout(2):
            async with runtime.database.unit(Mode.READ) as db:
                await db.fetchval("SELECT 1")
        return True
    except Exception:
        return False


async def _kafka_ok(runtime: Runtime) -> bool:
    try:
        async with asyncio.timeout(2):
            await runtime.producer.client.fetch_all_metadata()
        return bool(runtime.producer.client.cluster.brokers())
    except Exception:
        return False
