"""Background sweeps (shared.runtime.Job): reservations past their timeout are released,
vouchers past their program's use-by date give their unused balance back.

Each unit of work is its own transaction, claimed with SKIP LOCKED, so a sweeper may run
in every replica; one that fails is logged and left for the next sweep, not fatal to
the others.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from services.vouchers.settings import get_vouchers_settings
from services.vouchers.use_cases.expiry import expire_one_voucher
from services.vouchers.use_cases.resolving import release_one_due
from shared.db import Db
from shared.runtime import Runtime

log = logging.getLogger(__name__)
UnitOfWork = Callable[[Db], Awaitable[bool]]


async def sweep(runtime: Runtime, unit: UnitOfWork, name: str) -> int:
    """Run `unit` in fresh transactions until it finds nothing more (or the batch is done)."""
    done = 0
    for _ in range(get_vouchers_settings().vouchers_sweep_batch):
        try:
            async with runtime.database.unit() as db:
                if not await unit(db):
                    break
            done += 1
        except Exception:
            log.exception("%s: one unit of work failed; the next sweep retries it", name)
            break
    return done


async def release_expired_reservations(runtime: Runtime) -> None:
    await sweep(runtime, release_one_due, "release-expired-reservations")


async def expire_vouchers_at_use_by(runtime: Runtime) -> None:
    await sweep(runtime, expire_one_voucher, "expire-vouchers-at-use-by")
