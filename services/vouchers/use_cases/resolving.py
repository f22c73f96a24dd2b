"""Resolving a reservation: redemption (post, partial allowed) or release (void).

A release, and a partial redemption, lock the reservation's row first, so concurrent
attempts on one reservation queue and the later ones see the first one's outcome (409); a
full redemption's one statement takes that lock itself (see `redeem`). Behind that, the
ledger's unique index lets a hold be resolved once, and the reservations trigger lets a
reservation leave `pending` only together with the ledger transfer that resolves its hold.
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.vouchers.domain import ResultCode, Transfer
from services.vouchers.domain import movements as move
from services.vouchers.domain.errors import StateConflict
from services.vouchers.domain.redemption_rules import (
    check_redemption,
    ensure_redeemable,
    ensure_releasable,
    released_money_expires,
)
from services.vouchers.repository import ledger, reservations
from services.vouchers.repository.refusals import refusal_of
from services.vouchers.repository.rows import Row
from services.vouchers.schemas import RedeemIn, ReservationOut
from services.vouchers.use_cases import views
from services.vouchers.use_cases.access import require_enterprise, require_enterprise_or_operator
from services.vouchers.use_cases.problems import LedgerFault, accepted, conflict, refuse
from services.vouchers.use_cases.terms import (
    deal_of,
    hold_of,
    program_terms,
    reservation_of,
    voucher_ref,
)
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import NotFound
from shared.events.catalogue import IntegrationEvent
from shared.events.vouchers import VoucherExpired, VoucherRedeemed, VoucherReleased

# Ledger answers that mean "someone else resolved or the clock did", as states for a 409.
LEDGER_STATES = {
    ResultCode.PENDING_TRANSFER_EXPIRED: ("expired", "reservation_expired"),
    ResultCode.PENDING_TRANSFER_ALREADY_POSTED: ("redeemed", "reservation_not_pending"),
    ResultCode.PENDING_TRANSFER_ALREADY_VOIDED: ("released", "reservation_not_pending"),
}


async def _read(db: Db, reservation_id: uuid.UUID, *, lock: bool = True) -> asyncpg.Record:
    row = await reservations.resolving(db, reservation_id, lock=lock)
    if row is None:
        raise NotFound(f"reservation {reservation_id} not found")
    return row


async def redeem(db: Db, who: Principal, reservation_id: uuid.UUID,
                 body: RedeemIn) -> ReservationOut:
    """The same steps whichever way the unit runs (one transaction, or each statement on
    its own). The reservation is read without a lock. A full redemption is then one
    statement behind the ledger's walls: it locks the reservation's row itself and writes
    nothing, event included, once the reservation is resolved; the loser of a race reads
    again and hears the winner's outcome (409). A partial one hands money back, which
    must meet the use-by sweep under one transaction's locks: it re-reads the row locked
    and resolves inside `db.atomic()` (a savepoint when the unit is a transaction)."""
    row = await _read(db, reservation_id, lock=False)
    if body.amount_fen >= reservation_of(row).amount_fen:
        return await _redeem(db, who, row, body, locked=False)
    async with db.atomic():
        return await _redeem(db, who, await _read(db, reservation_id), body, locked=True)


async def _redeem(db: Db, who: Principal, row: asyncpg.Record, body: RedeemIn, *,
                  locked: bool) -> ReservationOut:
    require_enterprise(who, row["enterprise_org_id"])
    now, reservation = row["now"], reservation_of(row)
    try:
        ensure_redeemable(reservation, deal_of(row, reservation.deal_id), now)
    except StateConflict as exc:
        raise conflict(exc) from exc
    refuse(check_redemption(program_terms(row), reservation, body.amount_fen, now),
           "the reservation cannot be redeemed for that amount")
    released = reservation.amount_fen - body.amount_fen
    redeemed = VoucherRedeemed(**_movement(row, body.amount_fen), released_fen=released)
    version = await _resolve(db, row, move.redemption(hold_of(row), body.amount_fen),
                             redeemed, locked=locked, status="redeemed",
                             redeemed_fen=body.amount_fen)
    await _return_after_use_by(db, row, released)
    return views.reservation_out({**row, "status": "redeemed", "redeemed_fen": body.amount_fen,
                                  "resolved_at": now, "version": version})


async def release(db: Db, who: Principal, reservation_id: uuid.UUID,
                  note: str | None) -> ReservationOut:
    row = await _read(db, reservation_id)
    require_enterprise_or_operator(who, row["enterprise_org_id"], row["issuer_region"])
    reason = who.role if not note else f"{who.role}: {note}"
    return views.reservation_out(await release_locked(db, row, reason))


async def release_locked(db: Db, row: Row, reason: str) -> dict[str, Any]:
    """Release a reservation whose row this transaction holds (API, sweeper, deal ended)."""
    try:
        ensure_releasable(reservation_of(row))
    except StateConflict as exc:
        raise conflict(exc) from exc
    hold = hold_of(row)
    released = VoucherReleased(**_movement(row, hold.amount), reason=reason)
    version = await _resolve(db, row, move.release(hold), released, locked=True,
                             status="released", reason=reason)
    await _return_after_use_by(db, row, hold.amount)
    return {**row, "status": "released", "release_reason": reason, "resolved_at": row["now"],
            "version": version}


async def _resolve(db: Db, row: Row, resolution: Transfer, event: IntegrationEvent, *,
                   locked: bool, **change: Any) -> int:
    """Post or void the hold, mark the reservation and record `event`, in one statement
    (it locks the voucher's and the provider's accounts until the commit, so it comes
    last): the reservation's new version. Unless `locked` (this transaction holds the
    reservation's row), a resolution racing this one may have won: then the client hears
    its outcome."""
    try:
        version = await reservations.resolve(db, row["reservation_id"], resolution, event,
                                             resolved_at=row["now"], **change)
    except asyncpg.PostgresError as exc:  # the statement, or the transaction, is lost
        raise _refused(exc, row) from exc
    if version is None:
        if not locked:
            await _ensure_still_pending(db, row)
        return await _resolved_before(db, row, resolution, event, change)
    return version


async def _ensure_still_pending(db: Db, row: Row) -> None:
    """Raises the 409 of a reservation that another request resolved first."""
    fresh = await _read(db, row["reservation_id"], lock=False)
    try:
        ensure_releasable(reservation_of(fresh))
    except StateConflict as exc:
        raise conflict(exc) from exc


def _refused(exc: asyncpg.PostgresError, row: Row) -> Exception:
    """The ledger's refusal as the client's answer: 409 when the clock decided, else a
    fault (the rules, checked on the read, had allowed it)."""
    code = ledger.refusal_code(refusal_of(exc))
    if code in LEDGER_STATES:
        state, reason = LEDGER_STATES[code]
        return conflict(StateConflict(f"reservation {row['reservation_id']}", state, reason))
    if code is not None:
        return LedgerFault(f"reservation resolution: the ledger answered {code}")
    return exc


async def _resolved_before(db: Db, row: Row, resolution: Transfer, event: IntegrationEvent,
                           change: dict[str, Any]) -> int:
    """Nothing was written: the resolving transfer's id was taken. Only the very same
    transfer is accepted (idempotency), then the reservation is marked on its own, with
    its event."""
    accepted(await ledger.stored_transfer_result(db, resolution), "reservation resolution")
    async with db.atomic():
        version = await reservations.mark_resolved(db, row["reservation_id"],
                                                   resolved_at=row["now"], **change)
        if version is None:  # resolved meanwhile: only possible without the row's lock
            await _ensure_still_pending(db, row)
            raise LedgerFault(f"reservation {row['reservation_id']} changed, yet is pending")
        await outbox.record(db, event)
    return version


async def _return_after_use_by(db: Db, row: Row, amount_fen: int) -> None:
    """Money handed back to a voucher after use-by goes on to the program's budget."""
    if amount_fen <= 0:
        return
    swept = await reservations.voucher_swept(db, row["voucher_id"])
    if not released_money_expires(program_terms(row), row["now"], swept):
        return
    expiry = move.voucher_expiry(voucher_ref(row), amount_fen, row["reservation_id"])
    accepted(await ledger.create_transfer(db, expiry), "expiry of released money")
    await outbox.record(db, VoucherExpired(
        **_movement(row, amount_fen, reservation=False), reason="released_after_use_by",
        reservation_id=str(row["reservation_id"])))


def _movement(row: Row, amount_fen: int, reservation: bool = True) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "voucher_id": str(row["voucher_id"]), "program_id": str(row["program_id"]),
        "enterprise_org_id": str(row["enterprise_org_id"]), "amount_fen": amount_fen,
        "occurred_at": row["now"]}
    if reservation:
        fields |= {"reservation_id": str(row["reservation_id"]), "deal_id": str(row["deal_id"]),
                   "provider_org_id": str(row["provider_org_id"])}
    return fields


async def release_one_due(db: Db) -> bool:
    """The timeout sweeper's unit of work: release one reservation past its expires_at."""
    row = await reservations.claim_due(db)
    if row is None:
        return False
    await release_locked(db, row, "timeout")
    return True


async def release_for_deal(db: Db, deal_id: uuid.UUID) -> int:
    """A terminated deal frees every voucher reservation made against it."""
    rows = await reservations.pending_of_deal(db, deal_id)
    for row in rows:
        await release_locked(db, row, "deal_terminated")
    return len(rows)
