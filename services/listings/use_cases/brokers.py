"""Use cases of technology brokers: registration by an operator of the broker's region,
changes of the organisations it represents, and reads (the deals service reads brokers
through GET /brokers/{id})."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from services.listings.domain.checks import text_errors
from services.listings.repository import brokers as repository
from services.listings.repository import organizations as organization_repository
from services.listings.schemas import BrokerIn, BrokerOut, BrokerPatch
from services.listings.use_cases.common import now, refuse, region_short_code
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import Conflict, FieldError, Forbidden, NotFound, Unprocessable
from shared.events.listings import BrokerProfile, BrokerRegistered, BrokerUpdated
from shared.pagination import Page, page_of
from shared.versioning import check_version

NAME_MAX_CHARS = 100


async def register_broker(db: Db, who: Principal, body: BrokerIn) -> BrokerOut:
    region = await region_short_code(db, body.region, "region")
    _ensure_governs(who, region)
    _check_name(body.name)
    await _check_agency(db, body.agency_org_id)
    represents = await _checked_clients(db, body.represents)
    await _ensure_certificate_free(db, body.certificate_no)
    moment = now()
    row: dict[str, Any] = {
        "id": uuid.uuid4(), "name": body.name, "certificate_no": body.certificate_no,
        "region": region, "agency_org_id": body.agency_org_id, "version": 1,
        "created_at": moment, "updated_at": moment}
    if not await repository.insert_broker(db, row):  # registered concurrently meanwhile
        raise _certificate_taken(body.certificate_no)
    await repository.replace_clients(db, row["id"], represents)
    await outbox.record(db, BrokerRegistered(**_profile(row, represents)))
    return broker_out(row, represents)


async def change_broker(db: Db, who: Principal, broker_id: uuid.UUID,
                        expected_version: int, patch: BrokerPatch) -> BrokerOut:
    row = await repository.broker_by_id(db, broker_id, for_update=True)
    if row is None:
        raise NotFound(f"broker {broker_id} not found")
    _ensure_governs(who, row["region"])
    check_version(row["version"], expected_version)
    changes = patch.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        _check_name(changes["name"])
    if changes.get("certificate_no", row["certificate_no"]) != row["certificate_no"]:
        await _ensure_certificate_free(db, changes["certificate_no"])
    represents = (await repository.clients_of(db, [broker_id]))[broker_id]
    if patch.represents is not None:
        represents = await _checked_clients(db, patch.represents)
        await repository.replace_clients(db, broker_id, represents)
    values = {**{k: v for k, v in changes.items() if k != "represents"},
              "version": row["version"] + 1, "updated_at": now()}
    if not await repository.update_broker(db, broker_id, values):
        raise _certificate_taken(changes.get("certificate_no", ""))
    row.update(values)
    await outbox.record(db, BrokerUpdated(**_profile(row, represents)))
    return broker_out(row, represents)


async def get_broker(db: Db, broker_id: uuid.UUID) -> BrokerOut:
    row = await repository.broker_by_id(db, broker_id)
    if row is None:
        raise NotFound(f"broker {broker_id} not found")
    clients = await repository.clients_of(db, [broker_id])
    return broker_out(row, clients[broker_id])


async def list_brokers(db: Db, page: Page, region: str | None,
                       agency_org_id: uuid.UUID | None) -> dict[str, Any]:
    short = await region_short_code(db, region, "region") if region else None
    rows = await repository.brokers(db, page, short, agency_org_id)
    clients = await repository.clients_of(db, [row["id"] for row in rows])
    items = [broker_out(row, clients[row["id"]]) for row in rows]
    return page_of(items, page.limit, lambda b: (b.created_at, b.id))


def broker_out(row: dict[str, Any], represents: Sequence[uuid.UUID]) -> BrokerOut:
    return BrokerOut(broker_id=row["id"], represents=list(represents),
                     **{k: v for k, v in row.items() if k in BrokerOut.model_fields})


def _profile(row: dict[str, Any], represents: Sequence[uuid.UUID]) -> dict[str, Any]:
    fields = {k: v for k, v in row.items() if k in BrokerProfile.model_fields}
    return {**fields, "broker_id": str(row["id"]), "agency_org_id": str(row["agency_org_id"]),
            "represents": [str(org_id) for org_id in represents],
            "registered_at": row["created_at"]}


def _ensure_governs(who: Principal, region: str) -> None:
    if who.region != region:
        raise Forbidden(f"an operator of {who.region} manages brokers of its own region only")


def _check_name(name: str) -> None:
    refuse("invalid broker name", text_errors(
        "name", name, max_chars=NAME_MAX_CHARS, required=True, single_line=True))


async def _check_agency(db: Db, agency_org_id: uuid.UUID) -> None:
    kinds = await organization_repository.organization_kinds(db, [agency_org_id])
    if agency_org_id not in kinds:
        raise Unprocessable("the agency is not a registered organisation", [FieldError(
            "agency_org_id", "no organisation with this id", "unknown_organization")])
    if kinds[agency_org_id] != "broker_agency":
        raise Unprocessable("a broker works for a broker agency", [FieldError(
            "agency_org_id", f"is a {kinds[agency_org_id]}, not a broker_agency",
            "not_broker_agency")])


async def _checked_clients(db: Db,
                           org_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """The represented organisations, each registered and named once."""
    known = await organization_repository.organization_kinds(db, set(org_ids))
    errors, seen = [], set()
    for n, org_id in enumerate(org_ids):
        if org_id not in known:
            errors.append(FieldError(f"represents[{n}]", "no organisation with this id",
                                     "unknown_organization"))
        elif org_id in seen:
            errors.append(FieldError(f"represents[{n}]", "listed twice", "duplicate"))
        seen.add(org_id)
    if errors:
        raise Unprocessable("the broker cannot represent these organisations", errors)
    return list(org_ids)


async def _ensure_certificate_free(db: Db, certificate_no: str) -> None:
    if await repository.broker_id_by_certificate(db, certificate_no) is not None:
        raise _certificate_taken(certificate_no)


def _certificate_taken(certificate_no: str) -> Conflict:
    return Conflict(f"a broker with certificate {certificate_no} is already registered")
