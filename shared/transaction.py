"""One transaction per use case, committed at the HTTP boundary, with Idempotency-Key.

Routes call `await tx.run(lambda session: service.do_it(session, ...), status_code=201)`.
The use case flushes, never commits; `run` commits and only then answers, so a client never
sees a success that was not durable. With an `Idempotency-Key`, the answer is stored in the
same transaction: a retry (even after a crash) gets the first answer; the same key with a
different body is 422. Errors are not stored: they wrote nothing, so a retry may succeed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import orjson
from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal
from shared.db import SessionMaker
from shared.errors import FieldError, Unprocessable
from shared.tables import idempotency_keys

T = TypeVar("T")
UseCase = Callable[[AsyncSession], Awaitable[Any]]
MAX_KEY_LENGTH = 200


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def to_json(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json")
    return jsonable_encoder(result)


class Tx:
    def __init__(self, request: Request, sessionmaker: SessionMaker) -> None:
        self.request = request
        self.sessionmaker = sessionmaker

    async def read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
        async with self.sessionmaker() as session:
            return await query(session)

    async def run(self, use_case: UseCase, *, principal: Principal,
                  status_code: int = 200) -> Response:
        key = self._idempotency_key()
        async with self.sessionmaker() as session, session.begin():
            if key is None:
                body = to_json(await use_case(session))
            else:
                stored = await self._replay(session, principal, key)
                if stored is not None:
                    return stored
                body = to_json(await use_case(session))
                await self._remember(session, principal, key, status_code, body)
        return JSON(body, status_code=status_code)

    def _idempotency_key(self) -> str | None:
        key = self.request.headers.get("idempotency-key")
        if key is None:
            return None
        if not key.strip() or len(key) > MAX_KEY_LENGTH or not key.isprintable():
            raise Unprocessable("invalid Idempotency-Key", [FieldError(
                "Idempotency-Key", f"1 to {MAX_KEY_LENGTH} printable characters")])
        return key

    async def _request_hash(self) -> str:
        digest = hashlib.sha256()
        digest.update(self.request.method.encode())
        digest.update(self.request.url.path.encode())
        digest.update(await self.request.body())
        return digest.hexdigest()

    async def _replay(self, session: AsyncSession, who: Principal, key: str) -> Response | None:
        # Serialise concurrent requests with the same key: the second waits, then replays.
        await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(who.scope + key))))
        row = (await session.execute(
            select(idempotency_keys).where(idempotency_keys.c.scope == who.scope,
                                           idempotency_keys.c.key == key)
        )).mappings().first()
        if row is None:
            return None
        if row["request_hash"] != await self._request_hash():
            raise Unprocessable(
                "this Idempotency-Key was already used with a different request",
                [FieldError("Idempotency-Key", "reused with a different body", "key_reused")])
        return JSON(row["response"], status_code=row["status_code"],
                    headers={"Idempotent-Replayed": "true"})

    async def _remember(self, session: AsyncSession, who: Principal, key: str,
                        status_code: int, body: Any) -> None:
        await session.execute(insert(idempotency_keys).values(
            scope=who.scope, key=key, method=self.request.method,
            path=self.request.url.path, request_hash=await self._request_hash(),
            status_code=status_code, response=body))


async def transaction(request: Request) -> Tx:
    return Tx(request, request.app.state.runtime.sessionmaker)
