"""The vouchers service's own connection pools (an on_start hook replaces the shared ones).

Vouchers is the market's write-hot service. Its hot paths (reserve, redeem, release) are
written in SQL and run on asyncpg's own pool (`Tx.run_sql`), which this hook opens with the
vouchers size, VOUCHERS_DB_POOL_SIZE (32 per process; Runtime.start keeps it). The
SQLAlchemy engine now serves only what still runs on a session: the event consumer, the
sweepers, the relay's polling and the other endpoints (programs, issuing, reads,
settlements). VOUCHERS_DB_SESSION_POOL_SIZE (10) is enough for them, so a process holds at
most 32 + 10 connections, not twice 32. Neither pool overflows (see settings.py), and the
engine keeps its own pre-ping setting (off by default, as in the shared pool).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import create_async_engine

from services.vouchers.settings import get_vouchers_settings
from shared.legacy_db import make_sessionmaker, open_pool
from shared.runtime import Runtime
from shared.settings import asyncpg_url


async def use_vouchers_pool(runtime: Runtime) -> None:
    settings = get_vouchers_settings()
    url = runtime.settings.service_database_url(runtime.service)
    shared_engine = runtime.engine
    runtime.engine = create_async_engine(
        asyncpg_url(url),
        pool_size=settings.vouchers_db_session_pool_size,
        max_overflow=settings.vouchers_db_max_overflow,
        pool_pre_ping=settings.vouchers_db_pre_ping,
        pool_recycle=1800,
    )
    runtime.sessionmaker = make_sessionmaker(runtime.engine)
    runtime.pool = await open_pool(url, size=settings.vouchers_db_pool_size)
    await shared_engine.dispose()
