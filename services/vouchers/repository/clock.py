"""The database's clock: the ledger stamps its transfers with the transaction's now()."""

from __future__ import annotations

from datetime import datetime

from shared.db import Db

NOW = "SELECT now()"


async def transaction_now(db: Db) -> datetime:
    """The transaction's time (in a unit without a transaction, this statement's)."""
    return await db.fetchval(NOW)  # type: ignore[no-any-return]
