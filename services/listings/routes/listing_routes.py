"""The routes offers and needs share: post, read, publish, withdraw, change.

Built once per listing type. No `from __future__ import annotations` here: FastAPI reads
the body types from the annotations, which must be the real classes passed in.
"""

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from services.listings.domain.lifecycle import ListingAction
from services.listings.schemas.listings import patch_fields
from services.listings.use_cases import listings as use_cases
from services.listings.use_cases.listing_types import ListingType
from shared.auth import Principal, authenticated, require
from shared.transaction import Tx, transaction
from shared.versioning import expected_version


def add_listing_routes(router: APIRouter, lt: ListingType, body_in: Any, body_patch: Any
                       ) -> None:
    plural, out = f"/{lt.name}s", lt.out
    writer = require(*lt.acting_roles)

    @router.post(plural, status_code=201, response_model=out,
                 summary=f"Post a {lt.name} (status draft)", name=f"post_{lt.name}")
    async def post(body: body_in, tx: Tx = Depends(transaction),  # type: ignore[valid-type]
                   who: Principal = Depends(writer)) -> Response:
        return await tx.run(lambda db: use_cases.post_listing(db, who, lt, body),
                            principal=who, status_code=201)

    @router.get(plural + "/{listing_id}", response_model=out, summary=f"Read a {lt.name}",
                name=f"get_{lt.name}")
    async def read(listing_id: uuid.UUID, tx: Tx = Depends(transaction),
                   _: Principal = Depends(authenticated)) -> Any:
        return await tx.read(lambda db: use_cases.get_listing(db, lt, listing_id))

    @router.patch(plural + "/{listing_id}", response_model=out,
                  summary=f"Change a draft or published {lt.name} (If-Match)",
                  name=f"change_{lt.name}")
    async def change(listing_id: uuid.UUID, body: body_patch,  # type: ignore[valid-type]
                     request: Request, tx: Tx = Depends(transaction),
                     who: Principal = Depends(writer)) -> Response:
        version, changes = expected_version(request), patch_fields(body)
        return await tx.run(
            lambda db: use_cases.change_listing(db, who, lt, listing_id, version, changes),
            principal=who)

    for action in (ListingAction.PUBLISH, ListingAction.WITHDRAW):
        _add_action(router, lt, action, writer)


def _add_action(router: APIRouter, lt: ListingType, action: ListingAction,
                writer: Any) -> None:
    @router.post(f"/{lt.name}s/{{listing_id}}/{action.value}", response_model=lt.out,
                 summary=f"{action.value.capitalize()} a {lt.name}",
                 name=f"{action.value}_{lt.name}")
    async def act(listing_id: uuid.UUID, tx: Tx = Depends(transaction),
                  who: Principal = Depends(writer)) -> Response:
        return await tx.run(
            lambda db: use_cases.act_on_listing(db, who, lt, listing_id, action),
            principal=who)
