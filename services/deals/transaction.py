"""The shared transaction boundary, plus refusals that are recorded.

A refused registration is an answer (422 with the reason codes) AND a fact the market keeps:
the deal holds the reasons and `deal.registration_rejected` goes out. `shared.transaction`
rolls back on every error, so a use case raises `RecordedRefusal` instead: the transaction
commits, the client gets the problem document, and with an Idempotency-Key a retry gets
the same 422 rather than a second rejection.
"""

from __future__ import annotations

import orjson
from fastapi import Request
from fastapi.responses import Response

from shared.auth import Principal
from shared.errors import PROBLEM, FieldError, Unprocessable, problem
from shared.transaction import JSON, Tx, UseCase, to_json


class RecordedRefusal(Unprocessable):
    """422 whose effects (events, the reasons on the deal) are committed, not rolled back."""

    def __init__(self, detail: str, errors: list[FieldError]) -> None:
        super().__init__(detail, errors)


class DealsTx(Tx):
    async def run(self, use_case: UseCase, *, principal: Principal,
                  status_code: int = 200) -> Response:
        key = self._idempotency_key()
        async with self.sessionmaker() as session, session.begin():
            if key is not None:
                stored = await self._replay(session, principal, key)
                if stored is not None:
                    return _as_problem(stored)
            try:
                answer: Response | None = None
                body = to_json(await use_case(session))
            except RecordedRefusal as refusal:
                answer = problem(refusal.status, refusal.title, refusal.detail, refusal.slug,
                                 [e.as_dict() for e in refusal.errors])
                status_code, body = refusal.status, orjson.loads(answer.body)
            if key is not None:
                await self._remember(session, principal, key, status_code, body)
        return answer or JSON(body, status_code=status_code)


def _as_problem(stored: Response) -> Response:
    """A replayed error keeps its problem+json media type."""
    if stored.status_code >= 400:
        stored.headers["content-type"] = PROBLEM
    return stored


async def transaction(request: Request) -> DealsTx:
    return DealsTx(request, request.app.state.runtime.sessionmaker)
