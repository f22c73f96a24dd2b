"""The vouchers service's own connection pool (an on_start hook replaces the shared one).

Vouchers is the market's write-hot service: a reservation or a redemption is a handful of
short statements, with their own pool size and (off by default, as in the shared pool)
pre-ping setting. Same driver, same sessions, different pool settings.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import create_async_engine

from services.vouchers.settings import get_vouchers_settings
from shared.db import make_sessionmaker
from shared.runtime import Runtime
from shared.settings import asyncpg_url


async def use_vouchers_pool(runtime: Runtime) -> None:
    settings = get_vouchers_settings()
    shared_engine = runtime.engine
    runtime.engine = create_async_engine(
        asyncpg_url(runtime.settings.service_database_url(runtime.service)),
        pool_size=settings.vouchers_db_pool_size,
        max_overflow=settings.vouchers_db_max_overflow,
        pool_pre_ping=settings.vouchers_db_pre_ping,
        pool_recycle=1800,
    )
    runtime.sessionmaker = make_sessionmaker(runtime.engine)
    await shared_engine.dispose()
