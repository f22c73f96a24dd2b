"""Async engine and sessions (SQLAlchemy 2 + asyncpg)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from shared.settings import asyncpg_url

SessionMaker = async_sessionmaker[AsyncSession]


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    return create_async_engine(
        asyncpg_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_recycle=1800,
    )


def make_sessionmaker(engine: AsyncEngine) -> SessionMaker:
    # expire_on_commit=False: results are serialised after the commit, without lazy loads.
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
