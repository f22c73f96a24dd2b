"""Pure errors of the voucher rules; the HTTP layer maps them to problem responses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One reason a request is refused (422), naming the request field it is about."""

    field: str
    code: str
    message: str


class RuleViolation(Exception):
    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))
        self.errors = tuple(errors)


def raise_if_any(errors: Sequence[FieldError]) -> None:
    if errors:
        raise RuleViolation(errors)


class StateConflict(Exception):
    """The resource's current state does not allow the action (409, state in detail).

    Unlike a FieldError this may pass by itself: the deal gets registered, the event
    arrives; so a client may retry later.
    """

    def __init__(self, resource: str, state: str, code: str) -> None:
        super().__init__(f"{resource} is {state}: {code}")
        self.resource = resource
        self.state = state
        self.code = code
