"""HTTP routes of the vouchers service: thin, each runs one use case in one unit of work.

Writes run in one transaction (`tx.run`), reads in a read-only one (`tx.read`). The
redemption runs in `Mode.STATEMENTS`: its write is one statement that commits on its own,
so a full redemption is two round trips, its read and that write (see
use_cases.resolving.redeem); with an Idempotency-Key it runs in one transaction like the
others."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from services.vouchers.schemas import (
    LedgerCheckOut,
    PaymentIn,
    PaymentOut,
    ProgramIn,
    ProgramOut,
    RedeemIn,
    ReleaseIn,
    ReservationIn,
    ReservationOut,
    SettlementPage,
    TransferPage,
    VoucherIn,
    VoucherOut,
    VoucherPage,
)
from services.vouchers.use_cases import (
    issuance,
    ledger_check,
    programs,
    reserving,
    resolving,
    settlements,
)
from shared.auth import Principal, authenticated, require
from shared.db import Mode
from shared.pagination import Page, page_params
from shared.transaction import Tx, transaction

router = APIRouter()


def region_query() -> Any:
    # A fresh Query per parameter: FastAPI keeps each parameter's name on its Query object.
    return Query(None, min_length=2, max_length=6, pattern=r"^(?:[A-Za-z]{2}|\d{6})$")


@router.post("/programs", status_code=201, response_model=ProgramOut, tags=["programs"])
async def open_program(body: ProgramIn, request: Request, tx: Tx = Depends(transaction),
                       who: Principal = Depends(require("operator"))) -> Response:
    timeout = request.app.state.runtime.settings.reservation_timeout_seconds
    return await tx.run(lambda db: programs.open_program(db, who, body, timeout), principal=who,
                        status_code=201)


@router.get("/programs/{program_id}", response_model=ProgramOut, tags=["programs"])
async def get_program(program_id: uuid.UUID, tx: Tx = Depends(transaction),
                      _: Principal = Depends(authenticated)) -> ProgramOut:
    return await tx.read(lambda db: programs.get_program(db, program_id))


@router.get("/programs/{program_id}/transfers", response_model=TransferPage, tags=["ledger"])
async def program_transfers(program_id: uuid.UUID, page: Page = Depends(page_params),
                            tx: Tx = Depends(transaction),
                            who: Principal = Depends(require("operator"))) -> object:
    return await tx.read(lambda db: programs.program_transfers(db, who, program_id, page))


@router.post("/programs/{program_id}/vouchers", status_code=201, response_model=VoucherOut,
             tags=["vouchers"])
async def issue_voucher(program_id: uuid.UUID, body: VoucherIn, tx: Tx = Depends(transaction),
                        who: Principal = Depends(require("operator"))) -> Response:
    return await tx.run(lambda db: issuance.issue_voucher(db, who, program_id, body),
                        principal=who, status_code=201)


@router.get("/vouchers/{voucher_id}", response_model=VoucherOut, tags=["vouchers"])
async def get_voucher(voucher_id: uuid.UUID, tx: Tx = Depends(transaction),
                      who: Principal = Depends(require("enterprise", "operator"))
                      ) -> VoucherOut:
    return await tx.read(lambda db: issuance.get_voucher(db, who, voucher_id))


@router.get("/vouchers", response_model=VoucherPage, tags=["vouchers"])
async def list_vouchers(enterprise_org_id: uuid.UUID | None = None,
                        page: Page = Depends(page_params), tx: Tx = Depends(transaction),
                        who: Principal = Depends(require("enterprise", "operator"))) -> object:
    return await tx.read(lambda db: issuance.list_vouchers(db, who, page, enterprise_org_id))


@router.post("/vouchers/{voucher_id}/reservations", status_code=201,
             response_model=ReservationOut, tags=["reservations"])
async def reserve(voucher_id: uuid.UUID, body: ReservationIn, tx: Tx = Depends(transaction),
                  who: Principal = Depends(require("enterprise"))) -> Response:
    return await tx.run(lambda db: reserving.reserve(db, who, voucher_id, body),
                            principal=who, status_code=201)


@router.get("/reservations/{reservation_id}", response_model=ReservationOut,
            tags=["reservations"])
async def get_reservation(reservation_id: uuid.UUID, tx: Tx = Depends(transaction),
                          who: Principal = Depends(require("enterprise", "operator"))
                          ) -> ReservationOut:
    return await tx.read(lambda db: reserving.get_reservation(db, who, reservation_id))


@router.post("/reservations/{reservation_id}/redeem", response_model=ReservationOut,
             tags=["reservations"])
async def redeem(reservation_id: uuid.UUID, body: RedeemIn, tx: Tx = Depends(transaction),
                 who: Principal = Depends(require("enterprise"))) -> Response:
    return await tx.run(lambda db: resolving.redeem(db, who, reservation_id, body),
                        principal=who, mode=Mode.STATEMENTS)


@router.post("/reservations/{reservation_id}/release", response_model=ReservationOut,
             tags=["reservations"])
async def release(reservation_id: uuid.UUID, body: ReleaseIn | None = None,
                  tx: Tx = Depends(transaction),
                  who: Principal = Depends(require("enterprise", "operator"))) -> Response:
    note = body.reason if body else None
    return await tx.run(lambda db: resolving.release(db, who, reservation_id, note),
                            principal=who)


@router.get("/ledger/check", response_model=LedgerCheckOut, tags=["ledger"])
async def check_ledger(tx: Tx = Depends(transaction),
                       who: Principal = Depends(require("operator", "admin"))
                       ) -> LedgerCheckOut:
    """An operator checks its region's part of the ledger; the administrator the whole."""
    return await tx.read(lambda db: ledger_check.check(db, who))


@router.get("/settlements", response_model=SettlementPage, tags=["settlements"])
async def list_settlements(issuer_region: str | None = region_query(),
                           provider_region: str | None = region_query(),
                           provider_org_id: uuid.UUID | None = None,
                           page: Page = Depends(page_params), tx: Tx = Depends(transaction),
                           who: Principal = Depends(require("operator", "admin"))) -> object:
    """An operator sees what its own region owes; the administrator every region's."""
    return await tx.read(lambda db: settlements.list_settlements(
        db, who, page, issuer_region, provider_region, provider_org_id))


@router.post("/settlements/{provider_org_id}/pay", response_model=PaymentOut,
             tags=["settlements"])
async def pay_settlement(provider_org_id: uuid.UUID, body: PaymentIn | None = None,
                         tx: Tx = Depends(transaction),
                         who: Principal = Depends(require("operator"))) -> Response:
    return await tx.run(lambda db: settlements.pay(db, who, provider_org_id, body),
                        principal=who)
