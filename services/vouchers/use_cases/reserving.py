"""Reserving voucher money against a deal with a provider (a pending ledger transfer).

The rules are checked on an unlocked read to give the client its reasons. The walls are in
the database: the voucher account cannot be over-reserved (two reservations racing for the
last yuan cannot both win) and the per-deal share is a CHECK on `deal_shares`.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from services.vouchers.domain import ReservationRef, ResultCode, Transfer, layout, spendable
from services.vouchers.domain import movements as move
from services.vouchers.domain.errors import StateConflict
from services.vouchers.domain.reservation_rules import (
    check_reservation,
    ensure_deal_reservable,
    reservation_expires_at,
)
from services.vouchers.domain.terms import Deal, Provider
from services.vouchers.repository import ledger, organizations, reservations
from services.vouchers.repository.refusals import market_refusal, refusal_of
from services.vouchers.repository.rows import Row
from services.vouchers.schemas import ReservationIn, ReservationOut
from services.vouchers.use_cases import views
from services.vouchers.use_cases.access import require_enterprise, require_enterprise_or_operator
from services.vouchers.use_cases.problems import (
    LedgerFault,
    accepted,
    conflict,
    refuse,
    unprocessable,
)
from services.vouchers.use_cases.terms import deal_of, program_terms, voucher_ref
from shared.auth import Principal
from shared.db import Db
from shared.errors import NotFound
from shared.events.vouchers import VoucherReserved

# What the database's walls answer, as the reasons the rules would have given.
REFUSED_INSERT = {
    "deal_shares_within_max": ("amount_fen", "over_max_share",
                               "the program would pay more than its share of this contract"),
    "not_the_deal_parties": ("deal_id", "not_the_deal_parties",
                             "the voucher's enterprise must buy from the provider in this deal"),
}


async def reserve(db: Db, who: Principal, voucher_id: uuid.UUID,
                  body: ReservationIn) -> ReservationOut:
    row = await reservations.reserving(db, voucher_id, body.deal_id, body.provider_org_id)
    if row is None:
        raise NotFound(f"voucher {voucher_id} not found")
    require_enterprise(who, row["enterprise_org_id"])
    now, terms = row["now"], program_terms(row)
    try:
        deal = ensure_deal_reservable(deal_of(row, body.deal_id), body.deal_id)
    except StateConflict as exc:
        raise conflict(exc) from exc
    provider = await _provider(db, row, deal, body.provider_org_id)
    refuse(check_reservation(
        terms, deal, provider, enterprise_org_id=row["enterprise_org_id"],
        amount_fen=body.amount_fen, voucher_available_fen=spendable(views.prefixed_account(
            row, "account_")),
        committed_to_deal_fen=row["committed_to_deal_fen"], now=now),
        "the voucher cannot be reserved for this deal")
    timeout = _hold_seconds(now, terms.redeem_by, row["reservation_timeout_seconds"])
    reservation = ReservationRef(uuid.uuid4(), deal.deal_id, provider.org_id)
    if not row["provider_accounts_exist"]:
        for result in await ledger.create_accounts(
                db, layout.provider_accounts(terms.issuer_region, provider.org_id)):
            accepted(result, "provider accounts")
    hold = move.reservation_hold(voucher_ref(row), reservation, body.amount_fen, timeout)
    saved = _saved(row, reservation, provider, body.amount_fen, hold.id,
                   now + timedelta(seconds=timeout), now)
    # One statement writes the hold, the reservation and its event: it locks the voucher's
    # and the provider's accounts until the commit, so nothing but the commit follows it.
    await _insert(db, hold, saved)
    return views.reservation_out(saved)


def _reserved(saved: dict[str, Any]) -> VoucherReserved:
    return VoucherReserved(
        voucher_id=str(saved["voucher_id"]), program_id=str(saved["program_id"]),
        enterprise_org_id=str(saved["enterprise_org_id"]), amount_fen=saved["reserved_fen"],
        occurred_at=saved["created_at"], reservation_id=str(saved["reservation_id"]),
        deal_id=str(saved["deal_id"]), provider_org_id=str(saved["provider_org_id"]),
        expires_at=saved["expires_at"])


def _hold_seconds(now: datetime, redeem_by: datetime, timeout_seconds: int) -> int:
    """Whole seconds, never past redeem-by: the hold and `expires_at` end together."""
    expires_at = reservation_expires_at(now, redeem_by, timedelta(seconds=timeout_seconds))
    return move.timeout_seconds(now, expires_at)


async def _provider(db: Db, row: Row, deal: Deal,
                    provider_org_id: uuid.UUID) -> Provider:
    # The deal says where its seller is; anyone else is refused as not the seller anyway.
    if provider_org_id == deal.seller_org_id:
        return Provider(org_id=provider_org_id, region=row["seller_region"])
    org = await organizations.organization_by_id(db, provider_org_id)
    return Provider(org_id=provider_org_id, region=org["region"] if org else "unknown")


def _saved(row: Row, reservation: ReservationRef, provider: Provider, amount_fen: int,
           hold_id: uuid.UUID, expires_at: datetime, now: datetime) -> dict[str, Any]:
    return {
        "reservation_id": reservation.reservation_id, "voucher_id": row["voucher_id"],
        "program_id": row["program_id"], "enterprise_org_id": row["enterprise_org_id"],
        "deal_id": reservation.deal_id, "provider_org_id": provider.org_id,
        "provider_region": provider.region, "issuer_region": row["issuer_region"],
        "reserved_fen": amount_fen, "hold_transfer_id": hold_id, "expires_at": expires_at,
        "status": "pending", "redeemed_fen": 0, "release_reason": None, "resolved_at": None,
        "version": 1, "created_at": now}


async def _insert(db: Db, hold: Transfer, saved: dict[str, Any]) -> None:
    values = {"id": saved["reservation_id"], "amount_fen": saved["reserved_fen"],
              **{k: saved[k] for k in ("voucher_id", "program_id", "enterprise_org_id",
                                       "deal_id", "provider_org_id", "provider_region",
                                       "issuer_region", "expires_at")}}
    try:
        inserted = await reservations.insert_with_hold(db, hold, values, _reserved(saved))
    except asyncpg.PostgresError as exc:  # the transaction is lost: the request fails
        raise _refused(exc, saved["deal_id"]) from exc
    if not inserted:
        raise LedgerFault(f"hold {hold.id} of a new reservation already existed")


def _refused(exc: asyncpg.PostgresError, deal_id: object) -> Exception:
    """The database's refusal of the hold or the reservation, as the client's answer."""
    code = ledger.refusal_code(refusal_of(exc))
    if code == ResultCode.EXCEEDS_CREDITS:  # another reservation took the money meanwhile
        return unprocessable("amount_fen", "over_available",
                             "the voucher no longer has that much available")
    if code is not None:
        return LedgerFault(f"the ledger refused a reservation hold: {code}")
    refused = market_refusal(exc)
    if refused is not None and refused.reason == "deal_not_signed":  # e.g. just terminated
        return conflict(StateConflict(f"deal {deal_id}", "no longer reservable",
                                      "deal_not_signed"))
    if refused is not None and refused.reason in REFUSED_INSERT:
        return unprocessable(*REFUSED_INSERT[refused.reason])
    return exc


async def get_reservation(db: Db, who: Principal, reservation_id: uuid.UUID
                          ) -> ReservationOut:
    row = await reservations.reservation_view(db, reservation_id)
    if row is None:
        raise NotFound(f"reservation {reservation_id} not found")
    require_enterprise_or_operator(who, row["enterprise_org_id"], row["issuer_region"])
    return views.reservation_out(row)
