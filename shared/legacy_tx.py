"""INTERIM(uow): the session-based boundary the services move off; deleted when they have."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import asyncpg
import orjson
from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from shared.auth import Principal
from shared.errors import PROBLEM, FieldError, RecordedRefusal, Unprocessable, problem_body
from shared.legacy_db import SessionMaker, driver, is_disconnect
from shared.units import H, SessionUnit, SqlUnit, StatementUnit, Unit

T = TypeVar("T")
UseCase = Callable[[AsyncSession], Awaitable[Any]]
SqlUseCase = Callable[[asyncpg.Connection], Awaitable[Any]]
MAX_KEY_LENGTH = 200

# The key is claimed first: a concurrent request with the same key waits on the primary key
# until this transaction ends, then finds the stored answer. A claim never shows unfinished:
# it commits with the answer or rolls back with the use case.
_CLAIM = """INSERT INTO idempotency_keys
    (scope, key, method, path, request_hash, status_code, response)
    VALUES ($1, $2, $3, $4, $5, 0, 'null') ON CONFLICT (scope, key) DO NOTHING RETURNING true"""
_STORED = """SELECT request_hash, status_code, response::text FROM idempotency_keys
    WHERE scope = $1 AND key = $2"""
_ANSWER = """UPDATE idempotency_keys SET status_code = $3, response = $4::text::jsonb
    WHERE scope = $1 AND key = $2"""


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return content if isinstance(content, bytes) else orjson.dumps(content)


def to_json(result: Any) -> bytes:
    if isinstance(result, BaseModel):
        return result.__pydantic_serializer__.to_json(result)
    return orjson.dumps(jsonable_encoder(result))


class _Answer:
    """What the client gets: status and JSON bytes (a problem document for a refusal)."""

    def __init__(self, status_code: int, body: bytes, replayed: bool = False) -> None:
        self.status_code, self.body, self.replayed = status_code, body, replayed

    def response(self) -> Response:
        headers = {"Idempotent-Replayed": "true"} if self.replayed else None
        answer = JSON(self.body, status_code=self.status_code, headers=headers)
        if self.status_code >= 400:
            answer.headers["content-type"] = PROBLEM
        return answer


class LegacyTx:
    def __init__(self, request: Request, sessionmaker: SessionMaker,
                 pool: asyncpg.Pool | None = None) -> None:
        self.request = request
        self.sessionmaker = sessionmaker
        self.pool = pool

    async def read(self, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
        return await self._retrying_lost_connection(
            lambda: self._read_once(SessionUnit(self.sessionmaker), query))

    async def read_sql(self, query: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        return await self._retrying_lost_connection(
            lambda: self._read_once(self._sql_unit(), query))

    async def run(self, use_case: UseCase, *, principal: Principal,
                  status_code: int = 200) -> Response:
        return await self._run(lambda: SessionUnit(self.sessionmaker), use_case,
                               principal, status_code)

    async def run_sql(self, use_case: SqlUseCase, *, principal: Principal,
                      status_code: int = 200) -> Response:
        return await self._run(self._sql_unit, use_case, principal, status_code)

    async def run_statements(self, use_case: SqlUseCase, *, principal: Principal,
                             status_code: int = 200) -> Response:
        if self._idempotency_key() is not None:
            return await self.run_sql(use_case, principal=principal, status_code=status_code)
        return await self._run(lambda: StatementUnit(self._pool()), use_case, principal,
                               status_code)

    def _sql_unit(self) -> SqlUnit:
        return SqlUnit(self._pool())

    def _pool(self) -> asyncpg.Pool:
        if self.pool is None:
            raise RuntimeError("this runtime has no asyncpg pool (Runtime.start opens it)")
        return self.pool

    async def _run(self, unit: Callable[[], Unit[Any]], use_case: Callable[[Any], Awaitable[Any]],
                   principal: Principal, status_code: int) -> Response:
        key = self._idempotency_key()
        request_hash = await self._request_hash() if key is not None else ""
        answer = await self._retrying_lost_connection(
            lambda: self._run_once(unit(), use_case, principal, key, request_hash, status_code))
        return answer.response()

    @staticmethod
    async def _read_once(unit: Unit[H], query: Callable[[H], Awaitable[T]]) -> T:
        async with unit:
            return await query(unit.handle)

    async def _run_once(self, unit: Unit[Any], use_case: Callable[[Any], Awaitable[Any]],
                        who: Principal, key: str | None, request_hash: str,
                        status_code: int) -> _Answer:
        async with unit:
            if key is not None:
                stored = await self._claim(await driver(unit.handle), who, key, request_hash)
                if stored is not None:
                    return stored
            try:
                answer = _Answer(status_code, to_json(await use_case(unit.handle)))
            except RecordedRefusal as refusal:
                answer = _Answer(refusal.status, orjson.dumps(problem_body(refusal)))
            if key is not None:
                await (await driver(unit.handle)).execute(
                    _ANSWER, who.scope, key, answer.status_code, answer.body.decode())
            try:
                await unit.commit()
            except Exception as error:
                raise _CommitFailed() from error
        return answer

    async def _retrying_lost_connection(self, attempt: Callable[[], Awaitable[T]]) -> T:
        try:
            return await _committed(attempt)
        except Exception as error:
            if not is_disconnect(error):
                raise
        # Every pooled connection may be as dead as this one (Postgres restarted).
        await self.sessionmaker.kw["bind"].dispose(close=False)
        if self.pool is not None:
            await self.pool.expire_connections()
        return await _committed(attempt)

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

    async def _claim(self, connection: asyncpg.Connection, who: Principal, key: str,
                     request_hash: str) -> _Answer | None:
        """None when the key is ours now; else the answer stored under it."""
        for _ in range(3):
            if await connection.fetchval(_CLAIM, who.scope, key, self.request.method,
                                         self.request.url.path, request_hash):
                return None
            row = await connection.fetchrow(_STORED, who.scope, key)
            if row is not None:
                if row[0] != request_hash:
                    raise Unprocessable(
                        "this Idempotency-Key was already used with a different request",
                        [FieldError("Idempotency-Key", "reused with a different body",
                                    "key_reused")])
                return _Answer(row[1], row[2].encode(), replayed=True)
        raise Unprocessable("this Idempotency-Key is being used by concurrent requests")


class _CommitFailed(Exception):
    """The commit itself failed: its outcome is unknown, so the use case is not run again."""


async def _committed(attempt: Callable[[], Awaitable[T]]) -> T:
    """`attempt()`, with a failed commit surfacing as its own error, never retried."""
    try:
        return await attempt()
    except _CommitFailed as failed:
        raise failed.__cause__ from None  # type: ignore[misc]
