"""Problem details (RFC 9457) for every error path.

Use cases raise `MarketError` subclasses; the handlers here turn them, validation errors,
HTTP errors and unexpected exceptions into `application/problem+json`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.context import correlation_id
from shared.db import is_disconnect

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


@dataclass
class FieldError:
    field: str
    message: str
    code: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"field": self.field, "message": self.message}
        if self.code:
            out["code"] = self.code
        return out


class MarketError(Exception):
    status = 400
    title = "Bad request"
    slug = "bad-request"

    def __init__(self, detail: str = "", errors: list[FieldError] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors or []
        self.headers = headers


class Unauthorized(MarketError):
    status, title, slug = 401, "Unauthorized", "unauthorized"


class Forbidden(MarketError):
    status, title, slug = 403, "Forbidden", "forbidden"


class NotFound(MarketError):
    status, title, slug = 404, "Not found", "not-found"


class Conflict(MarketError):
    status, title, slug = 409, "Conflict", "conflict"


class InvalidState(MarketError):
    """A state transition the current state does not allow (detail names the state)."""

    status, title, slug = 409, "Transition not allowed", "invalid-state"


class PreconditionFailed(MarketError):
    status, title, slug = 412, "Precondition failed", "precondition-failed"


class PayloadTooLarge(MarketError):
    status, title, slug = 413, "Payload too large", "payload-too-large"


class Unprocessable(MarketError):
    status, title, slug = 422, "Unprocessable content", "unprocessable"


class RecordedRefusal(Unprocessable):
    """422 whose effects (events, reasons kept on the aggregate) commit rather than roll back.

    A refusal that is also a fact the market keeps: the transaction commits, the client gets
    the problem document, and with an Idempotency-Key a retry gets the same 422 again."""


class PreconditionRequired(MarketError):
    status, title, slug = 428, "Precondition required", "precondition-required"


class Unavailable(MarketError):
    status, title, slug = 503, "Service unavailable", "unavailable"


def problem_body(error: MarketError) -> dict[str, Any]:
    return _body(error.status, error.title, error.detail, error.slug,
                 [e.as_dict() for e in error.errors])


def problem(status: int, title: str, detail: str, slug: str,
            errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(_body(status, title, detail, slug, errors), status_code=status,
                        media_type=PROBLEM, headers=headers)


def _body(status: int, title: str, detail: str, slug: str,
          errors: list[dict[str, str]] | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": f"https://techmarket.example/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    if correlation_id.get():
        body["correlation_id"] = correlation_id.get()
    return body


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    name = ""
    for part in parts:
        name += f"[{part}]" if part.isdigit() else (f".{part}" if name else part)
    return name or "body"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(MarketError)
    async def market_error(_: Request, exc: MarketError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, exc.slug,
                       [e.as_dict() for e in exc.errors], exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field_name(tuple(e.get("loc", ()))), "message": str(e.get("msg", "")),
             "code": str(e.get("type", "invalid"))}
            for e in exc.errors()
        ]
        return problem(422, "Validation failed", "the request has invalid fields",
                       "validation", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "Error")
        return problem(exc.status_code, title, str(exc.detail), "http",
                       headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(_: Request, exc: Exception) -> JSONResponse:
        if is_disconnect(exc):
            log.warning("database connection lost (correlation id %s): %s",
                        correlation_id.get(), exc)
            return problem(503, "Service unavailable",
                           "the database connection was lost; a write may or may not have "
                           "been made: retry with the same Idempotency-Key", "unavailable",
                           headers={"Retry-After": "1"})
        log.exception("unexpected error (correlation id %s)", correlation_id.get())
        # The server drops the connection after an unhandled error, a moment after this
        # answer: say so, or a client may send its next request on it and lose it.
        return problem(500, "Internal error",
                       "unexpected error; quote the correlation id when reporting it",
                       "internal", headers={"Connection": "close"})
