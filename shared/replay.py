"""Replay: re-publish a service's outbox from a point in time.

Marking rows unpublished hands them back to the relay, which publishes them again in their
original order. Consumers deduplicate by event id, so a replay is always safe.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from shared.auth import Principal, require
from shared.db import Db, affected
from shared.transaction import Tx, transaction


async def mark_for_replay(db: Db, since: datetime) -> int:
    return affected(await db.execute(
        "UPDATE outbox SET published_at = NULL WHERE created_at >= $1", since))


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
        async def use_case(db: Db) -> ReplayOut:
            return ReplayOut(since=body.since, requeued=await mark_for_replay(db, body.since))

        return await tx.run_db(use_case, principal=who)

    return router
