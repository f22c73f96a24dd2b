"""The two shapes in which the listings domain says "no": a bare problem and a field error."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """Why a value is refused: a stable machine code and a sentence for people."""

    code: str
    message: str


@dataclass(frozen=True)
class FieldError:
    """A problem located at a request field, e.g. ``ip[2].number``.

    The HTTP layer turns a list of these into the 422 problem document's ``errors``.
    """

    field: str
    code: str
    message: str

    @classmethod
    def at(cls, field: str, problem: Problem) -> FieldError:
        return cls(field, problem.code, problem.message)
