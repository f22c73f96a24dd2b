"""Routes of technology brokers."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from services.listings.schemas import BrokerIn, BrokerOut, BrokerPage, BrokerPatch
from services.listings.use_cases import brokers as use_cases
from shared.auth import Principal, authenticated, require
from shared.pagination import Page, page_params
from shared.transaction import Tx, transaction
from shared.versioning import expected_version

router = APIRouter(tags=["brokers"])


@router.post("/brokers", status_code=201, response_model=BrokerOut)
async def register_broker(body: BrokerIn, tx: Tx = Depends(transaction),
                          who: Principal = Depends(require("operator"))) -> Response:
    """An operator registers a broker of its region, with the organisations it represents.
    The broker's token then carries `sub` = the returned id and `org` = its agency."""
    return await tx.run(lambda db: use_cases.register_broker(db, who, body),
                        principal=who, status_code=201)


@router.patch("/brokers/{broker_id}", response_model=BrokerOut)
async def change_broker(broker_id: uuid.UUID, body: BrokerPatch, request: Request,
                        tx: Tx = Depends(transaction),
                        who: Principal = Depends(require("operator"))) -> Response:
    """Change a broker's name, certificate or represented organisations (If-Match)."""
    version = expected_version(request)
    return await tx.run(
        lambda db: use_cases.change_broker(db, who, broker_id, version, body), principal=who)


@router.get("/brokers/{broker_id}", response_model=BrokerOut)
async def get_broker(broker_id: uuid.UUID, tx: Tx = Depends(transaction),
                     _: Principal = Depends(authenticated)) -> BrokerOut:
    return await tx.read(lambda db: use_cases.get_broker(db, broker_id))


@router.get("/brokers", response_model=BrokerPage)
async def list_brokers(region: str | None = Query(None, max_length=6),
                       agency_org_id: uuid.UUID | None = None,
                       page: Page = Depends(page_params), tx: Tx = Depends(transaction),
                       _: Principal = Depends(authenticated)) -> dict[str, object]:
    return await tx.read(lambda db: use_cases.list_brokers(db, page, region, agency_org_id))
