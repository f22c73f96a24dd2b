"""The domain's and the ledger's refusals as HTTP problems (422 reasons, 409 states)."""

from __future__ import annotations

from collections.abc import Sequence

from services.vouchers.domain import Result, ResultCode
from services.vouchers.domain.errors import FieldError as RuleError
from services.vouchers.domain.errors import StateConflict
from shared.errors import FieldError, InvalidState, Unprocessable


def refuse(errors: Sequence[RuleError], detail: str) -> None:
    """422 naming every rule the request breaks; nothing when it breaks none."""
    if errors:
        raise Unprocessable(detail, [FieldError(e.field, e.message, e.code) for e in errors])


def unprocessable(field: str, code: str, message: str) -> Unprocessable:
    return Unprocessable(message, [FieldError(field, message, code)])


def conflict(exc: StateConflict) -> InvalidState:
    """409 whose detail names the current state; the code says what would have to change."""
    headers = {"Retry-After": "1"} if exc.state == "unknown" else None
    return InvalidState(f"{exc.resource} is {exc.state} ({exc.code})",
                        [FieldError("state", str(exc.state), exc.code)], headers=headers)


class LedgerFault(RuntimeError):
    """The ledger refused a transfer the rules had allowed: a bug, never the client's fault."""


def accepted(result: Result, what: str) -> None:
    """The transfer is in the ledger (now, or by an identical earlier request), or a fault."""
    if result.code not in (ResultCode.OK, ResultCode.EXISTS):
        raise LedgerFault(f"{what}: the ledger answered {result.code} {result.fields}")
