"""What PostgreSQL said when it refused a statement: SQLSTATE, constraint, message.

The database is the last wall of the ledger and of the market's rules; its refusals are
answers, not crashes, so the use cases need them in a form they can map to a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

LEDGER_REFUSAL = "LD001"  # a ledger result code, raised by ledger_refuse()
MARKET_REFUSAL = "VC001"  # a market rule, raised by vouchers_refuse()
UNIQUE_VIOLATION = "23505"
FOREIGN_KEY_VIOLATION = "23503"
CHECK_VIOLATION = "23514"


@dataclass(frozen=True)
class Refusal:
    sqlstate: str | None
    constraint: str | None
    message: str


def refusal_of(exc: asyncpg.PostgresError) -> Refusal:
    return Refusal(
        sqlstate=getattr(exc, "sqlstate", None),
        constraint=getattr(exc, "constraint_name", None),
        message=str(getattr(exc, "message", None) or exc),
    )


class MarketRuleRefused(Exception):
    """The database refused a write by one of the market's rules (a CHECK or a trigger)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.constraint or refusal.message)
        self.refusal = refusal

    @property
    def reason(self) -> str:
        """The constraint name, or the reason code a trigger raised."""
        return self.refusal.constraint or self.refusal.message


def market_refusal(exc: asyncpg.PostgresError) -> MarketRuleRefused | None:
    """The refusal, when it is one of the market's walls (else the error is a real fault)."""
    refusal = refusal_of(exc)
    if refusal.sqlstate in (MARKET_REFUSAL, CHECK_VIOLATION):
        return MarketRuleRefused(refusal)
    return None
