"""Replay: re-publish a service's outbox from a point in time.

Marking rows unpublished hands them back to the relay, which publishes them again in their
original order. Consumers deduplicate by event id, so a replay is always safe.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from shared.auth import Principal, require
from shared.tables import outbox
from shared.transaction import Tx, transaction


async def mark_for_replay(conn: AsyncConnection | AsyncSession, since: datetime) -> int:
    result = await conn.execute(
        update(outbox).where(outbox.c.created_at >= since).values(published_at=None))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


class ReplayIn(BaseModel):
    since: datetime


class ReplayOut(BaseModel):
    since: datetime
    requeued: int


def replay_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.post("/admin/replay", response_model=ReplayOut)
    async def replay(body: ReplayIn, tx: Tx = Depends(transaction),
                     who: Principal = Depends(require("operator", "service"))) -> object:
        async def use_case(session: AsyncSession) -> ReplayOut:
            return ReplayOut(since=body.since, requeued=await mark_for_replay(session, body.since))

        return await tx.run(use_case, principal=who)

    return router
