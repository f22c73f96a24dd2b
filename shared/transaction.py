"""A use case at the HTTP boundary: one unit of work, committed before the answer.

Routes call `await tx.run(lambda db: service.do_it(db, ...), principal=who, status_code=201)`
for a write and `await tx.read(lambda db: service.get_it(db, ...))` for a read; the use case
gets a `shared.db.Db` and never commits. `run` commits and only then answers, so a client
never sees a success that was not durable. With an `Idempotency-Key`, the answer is stored
in the same transaction: a retry (even after a crash) gets the first answer; the same key
with a different body is 422. A key lives `IDEMPOTENCY_KEY_TTL_HOURS` (24 by default): after
that the same key runs as a new request, and `purge_expired_keys` (a job every service runs,
shared.app) deletes expired keys in batches. Errors are not stored: they wrote nothing, so a
retry may succeed. The exception is a `RecordedRefusal`: its effects commit, and so does its answer.

A use case that loses its database connection before the commit is run once more on a
fresh connection: the lost transaction was rolled back by Postgres, so nothing doubles. A
use case run in `Mode.STATEMENTS` (each statement commits as it ends) is run once more
too, so each of its writes must be safe to repeat: a repeat finds its work done and
answers accordingly (for a redemption, 409 "already redeemed"), never doing it twice.
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

from shared.auth import Principal
from shared.db import CommitFailed, Database, Db, Mode, affected, is_disconnect
from shared.errors import PROBLEM, FieldError, RecordedRefusal, Unprocessable, problem_body

T = TypeVar("T")
UseCase = Callable[[Db], Awaitable[Any]]
MAX_KEY_LENGTH = 200

PURGE_BATCH = 1000

# The key is claimed first: a concurrent request with the same key waits on the primary key
# until this transaction ends, then finds the stored answer. A claim never shows unfinished:
# it commits with the answer or rolls back with the use case. An expired key ($6: its
# lifetime in seconds) is claimed anew, as if it had never been used.
_CLAIM = """INSERT INTO idempotency_keys AS k
    (scope, key, method, path, request_hash, status_code, response)
    VALUES ($1, $2, $3, $4, $5, 0, 'null') ON CONFLICT (scope, key) DO UPDATE
    SET method = excluded.method, path = excluded.path, request_hash = excluded.request_hash,
        status_code = 0, response = 'null', created_at = now()
    WHERE k.created_at < now() - make_interval(secs => $6) RETURNING true"""
_STORED = """SELECT request_hash, status_code, response::text FROM idempotency_keys
    WHERE scope = $1 AND key = $2"""
_ANSWER = """UPDATE idempotency_keys SET status_code = $3, response = $4::text::jsonb
    WHERE scope = $1 AND key = $2"""
# Oldest first, through the index on created_at; a key being claimed right now is skipped.
_PURGE = """DELETE FROM idempotency_keys WHERE (scope, key) IN (
    SELECT scope, key FROM idempotency_keys
    WHERE created_at < now() - make_interval(secs => $1)
    ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED)"""


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


class Tx:
    """The HTTP boundary of a use case: one unit of work, its Idempotency-Key, its answer."""

    def __init__(self, request: Request, database: Database, key_ttl_seconds: float) -> None:
        self.request = request
        self.database = database
        self.key_ttl_seconds = key_ttl_seconds

    async def read(self, query: Callable[[Db], Awaitable[T]]) -> T:
        """A read-only unit; run once more if the connection was lost."""
        return await self._retrying_lost_connection(lambda: self._read_once(query))

    async def run(self, use_case: UseCase, *, principal: Principal, status_code: int = 200,
                  mode: Mode = Mode.WRITE) -> Response:
        """A writing unit (`Mode.WRITE`, or `Mode.STATEMENTS` for a use case written for
        it: see shared.db). With an Idempotency-Key the stored answer must commit with the
        effects, so the unit is one transaction whatever `mode` says."""
        if mode is Mode.READ:
            raise ValueError("Tx.run writes; read with Tx.read")
        key = self._idempotency_key()
        if key is not None:
            mode = Mode.WRITE
        request_hash = await self._request_hash() if key is not None else ""
        answer = await self._retrying_lost_connection(
            lambda: self._run_once(mode, use_case, principal, key, request_hash, status_code))
        return answer.response()

    async def _read_once(self, query: Callable[[Db], Awaitable[T]]) -> T:
        async with self.database.unit(Mode.READ) as db:
            return await query(db)

    async def _run_once(self, mode: Mode, use_case: UseCase, who: Principal, key: str | None,
                        request_hash: str, status_code: int) -> _Answer:
        async with self.database.unit(mode) as db:
            if key is not None:
                stored = await self._claim(db, who, key, request_hash)
                if stored is not None:
                    return stored
            try:
                answer = _Answer(status_code, to_json(await use_case(db)))
            except RecordedRefusal as refusal:
                answer = _Answer(refusal.status, orjson.dumps(problem_body(refusal)))
            if key is not None:
                await db.execute(_ANSWER, who.scope, key, answer.status_code,
                                 answer.body.decode())
        return answer

    async def _retrying_lost_connection(self, attempt: Callable[[], Awaitable[T]]) -> T:
        try:
            return await attempt()
        except CommitFailed as failed:
            raise failed.__cause__ from None  # type: ignore[misc]
        except Exception as error:
            if not is_disconnect(error):
                raise
        await self.database.forget_connections()
        try:
            return await attempt()
        except CommitFailed as failed:
            raise failed.__cause__ from None  # type: ignore[misc]

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

    async def _claim(self, db: Db, who: Principal, key: str,
                     request_hash: str) -> _Answer | None:
        """None when the key is ours now; else the answer stored under it."""
        for _ in range(3):
            if await db.fetchval(_CLAIM, who.scope, key, self.request.method,
                                 self.request.url.path, request_hash, self.key_ttl_seconds):
                return None
            row = await db.fetchrow(_STORED, who.scope, key)
            if row is not None:
                if row[0] != request_hash:
                    raise Unprocessable(
                        "this Idempotency-Key was already used with a different request",
                        [FieldError("Idempotency-Key", "reused with a different body",
                                    "key_reused")])
                return _Answer(row[1], row[2].encode(), replayed=True)
        raise Unprocessable("this Idempotency-Key is being used by concurrent requests")


async def transaction(request: Request) -> Tx:
    runtime = request.app.state.runtime
    return Tx(request, runtime.database, runtime.settings.idempotency_key_ttl_hours * 3600)


async def purge_expired_keys(database: Database, ttl_seconds: float,
                             batch: int = PURGE_BATCH) -> int:
    """Deletes the keys older than `ttl_seconds`, `batch` at a time (a unit of work each, so
    no long transaction holds them); the number deleted."""
    deleted = 0
    while True:
        async with database.unit() as db:
            count = affected(await db.execute(_PURGE, ttl_seconds, batch))
        deleted += count
        if count < batch:
            return deleted
