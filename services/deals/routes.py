"""HTTP routes of the deals service: thin, each calls one use case in one transaction."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from services.deals.domain import DealStatus
from services.deals.schemas import (
    CertificateOut,
    ContractIn,
    ContractTypeCode,
    DealIn,
    DealOut,
    DealPage,
    FlowStatisticsOut,
    ReviewIn,
    TerminateIn,
)
from services.deals.use_cases import closing, contracts, opening, queries, registration
from services.deals.use_cases.lifecycle import now, registration_day
from services.deals.use_cases.listings_client import ListingsClient
from shared.auth import Principal, authenticated, require
from shared.pagination import Page, page_params
from shared.text import Line
from shared.transaction import Tx, transaction

router = APIRouter()
DealId = Path(description="the deal's id (a UUID)")


async def listings_client(request: Request) -> ListingsClient:
    client: ListingsClient = request.app.state.runtime.state["listings"]
    return client


@router.post("/deals", status_code=201, response_model=DealOut, tags=["deals"])
async def open_deal(body: DealIn, tx: Tx = Depends(transaction),
                    who: Principal = Depends(require("broker")),
                    listings: ListingsClient = Depends(listings_client)) -> Response:
    return await tx.run(lambda db: opening.open_deal(db, who, body, listings),
                            principal=who, status_code=201)


@router.post("/deals/{deal_id}/contract", response_model=DealOut, tags=["deals"])
async def attach_contract(body: ContractIn, deal_id: uuid.UUID = DealId,
                          tx: Tx = Depends(transaction),
                          who: Principal = Depends(require("broker")),
                          listings: ListingsClient = Depends(listings_client)) -> Response:
    return await tx.run(
        lambda db: contracts.attach_contract(db, who, deal_id, body, listings), principal=who)


@router.post("/deals/{deal_id}/registration", response_model=DealOut, tags=["registration"],
             responses={422: {"description": "refused, with every reason code at once"}})
async def submit_registration(deal_id: uuid.UUID = DealId, tx: Tx = Depends(transaction),
                              who: Principal = Depends(require("broker")),
                              listings: ListingsClient = Depends(listings_client)) -> Response:
    return await tx.run(lambda db: registration.submit(db, who, deal_id, listings),
                            principal=who)


@router.post("/deals/{deal_id}/review", response_model=DealOut, tags=["registration"])
async def review(body: ReviewIn, deal_id: uuid.UUID = DealId,
                 tx: Tx = Depends(transaction),
                 who: Principal = Depends(require("operator"))) -> Response:
    return await tx.run(lambda db: registration.review(db, who, deal_id, body),
                            principal=who)


@router.post("/deals/{deal_id}/complete", response_model=DealOut, tags=["deals"])
async def complete(deal_id: uuid.UUID = DealId, tx: Tx = Depends(transaction),
                   who: Principal = Depends(require("broker")),
                   listings: ListingsClient = Depends(listings_client)) -> Response:
    return await tx.run(lambda db: closing.complete(db, who, deal_id, listings),
                            principal=who)


@router.post("/deals/{deal_id}/terminate", response_model=DealOut, tags=["deals"])
async def terminate(body: TerminateIn, deal_id: uuid.UUID = DealId,
                    tx: Tx = Depends(transaction),
                    who: Principal = Depends(require("broker")),
                    listings: ListingsClient = Depends(listings_client)) -> Response:
    return await tx.run(lambda db: closing.terminate(db, who, deal_id, body, listings),
                            principal=who)


@router.get("/deals/{deal_id}", response_model=DealOut, tags=["deals"])
async def get_deal(deal_id: uuid.UUID = DealId, tx: Tx = Depends(transaction),
                   who: Principal = Depends(authenticated),
                   listings: ListingsClient = Depends(listings_client)) -> DealOut:
    return await tx.read(lambda db: queries.get_deal(db, who, deal_id, listings))


@router.get("/deals", response_model=DealPage, tags=["deals"])
async def list_deals(status: DealStatus | None = None,
                     region: Line | None = Query(None, max_length=6),
                     org_id: uuid.UUID | None = None, page: Page = Depends(page_params),
                     tx: Tx = Depends(transaction), who: Principal = Depends(authenticated),
                     listings: ListingsClient = Depends(listings_client)) -> dict[str, object]:
    return await tx.read(lambda db: queries.list_deals(db, who, page, status, region, org_id,
                                                         listings))


@router.get("/registrations/{registration_no}", response_model=CertificateOut,
            tags=["registration"])
async def get_certificate(registration_no: str = Path(max_length=32),
                          code: Line | None = Query(None, max_length=64, description=(
                              "the verification code printed on the certificate")),
                          tx: Tx = Depends(transaction)) -> CertificateOut:
    """Public verification of a registration certificate: no token, but the certificate's
    verification code; a wrong or missing code is the 404 of an unknown number."""
    return await tx.read(lambda db: queries.certificate(db, registration_no, code))


@router.get("/stats/flows", response_model=FlowStatisticsOut, tags=["statistics"])
async def flow_statistics(year: int | None = Query(None, ge=1987, le=9999,
                                                   description="default: this year"),
                          contract_type: ContractTypeCode | None = Query(None, alias="type"),
                          tx: Tx = Depends(transaction),
                          _: Principal = Depends(authenticated)) -> FlowStatisticsOut:
    chosen = year or registration_day(now()).year
    kind = str(contract_type) if contract_type else None
    return await tx.read(lambda db: queries.flow_statistics(db, chosen, kind))
