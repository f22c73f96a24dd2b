"""Opening a program (its budget funded from the issuing region's treasury) and reading it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from services.vouchers.domain import layout
from services.vouchers.domain import movements as move
from services.vouchers.domain.program_rules import check_opening_time, check_program
from services.vouchers.domain.terms import ProgramTerms
from services.vouchers.repository import clock, ledger, programs
from services.vouchers.schemas import ProgramIn, ProgramOut
from services.vouchers.use_cases import views
from services.vouchers.use_cases.access import require_operator_of
from services.vouchers.use_cases.problems import accepted, refuse
from shared import outbox
from shared.auth import Principal
from shared.china_time import last_china_day_before
from shared.db import Db
from shared.errors import NotFound
from shared.events.vouchers import ProgramOpened
from shared.pagination import Page, page_of
from shared.regions import load_regions


async def database_now(db: Db) -> datetime:
    """The transaction's time: the ledger stamps its transfers with the very same now()."""
    return await clock.transaction_now(db)


async def region_codes(db: Db) -> dict[str, str]:
    """Every accepted spelling of a region (BJ, 110000) → its short code."""
    regions = await load_regions(db)
    return {**{r.code: r.short_code for r in regions},
            **{r.short_code: r.short_code for r in regions}}


def _terms(body: ProgramIn, codes: dict[str, str]) -> ProgramTerms:
    def short(given: str) -> str:  # unknown spellings stay as given: the rules name them
        return codes.get(given.strip().upper(), given)

    catalog = tuple(body.provider_catalog) if body.provider_catalog is not None else None
    return ProgramTerms(
        issuer_region=short(body.issuer_region), name=body.name, year=body.year,
        budget_fen=body.budget_fen, max_share_bp=body.max_share_bp,
        cap_per_enterprise_fen=body.cap_per_enterprise_fen,
        eligible_contract_types=tuple(body.eligible_contract_types),
        recognized_regions=tuple(short(r) for r in body.recognized_regions),
        provider_catalog=catalog, use_by=body.use_by, redeem_by=body.redeem_by)


async def open_program(db: Db, who: Principal, body: ProgramIn,
                       default_timeout_seconds: int) -> ProgramOut:
    codes = await region_codes(db)
    terms = _terms(body, codes)
    if terms.issuer_region in codes.values():
        require_operator_of(who, terms.issuer_region)
    now = await database_now(db)
    refuse(check_program(terms, set(codes.values())) + check_opening_time(terms, now),
           "the program cannot be opened")
    program_id = uuid.uuid4()
    region = terms.issuer_region
    accounts = [layout.treasury_account(region), layout.budget_account(program_id, region)]
    for result in await ledger.create_accounts(db, accounts):
        accepted(result, "program accounts")
    funding = move.program_funding(program_id, region, terms.budget_fen)
    accepted(await ledger.create_transfer(db, funding), "program funding")
    timeout = body.reservation_timeout_seconds or default_timeout_seconds
    await programs.insert_program(db, _row(program_id, terms, timeout))
    await outbox.record(db, _opened(program_id, terms, timeout))
    return await get_program(db, program_id)


def _row(program_id: uuid.UUID, terms: ProgramTerms, timeout: int) -> dict[str, Any]:
    return {
        "id": program_id, "issuer_region": terms.issuer_region, "name": terms.name,
        "year": terms.year, "budget_fen": terms.budget_fen, "max_share_bp": terms.max_share_bp,
        "cap_per_enterprise_fen": terms.cap_per_enterprise_fen,
        "eligible_contract_types": list(terms.eligible_contract_types),
        "recognized_regions": list(terms.recognized_regions),
        "provider_catalog": (list(terms.provider_catalog)
                             if terms.provider_catalog is not None else None),
        "use_by": terms.use_by, "redeem_by": terms.redeem_by,
        "reservation_timeout_seconds": timeout,
        "budget_account_id": layout.budget_account_id(program_id)}


def _opened(program_id: uuid.UUID, terms: ProgramTerms, timeout: int) -> ProgramOpened:
    catalog = terms.provider_catalog
    return ProgramOpened(
        program_id=str(program_id), issuer_region=terms.issuer_region, name=terms.name,
        year=terms.year, budget_fen=terms.budget_fen, max_share_bp=terms.max_share_bp,
        cap_per_enterprise_fen=terms.cap_per_enterprise_fen,
        eligible_contract_types=list(terms.eligible_contract_types),
        recognized_regions=list(terms.recognized_regions),
        use_by=_last_day(terms.use_by), redeem_by=_last_day(terms.redeem_by),
        use_by_at=terms.use_by, redeem_by_at=terms.redeem_by,
        provider_catalog=[str(p) for p in catalog] if catalog is not None else None,
        reservation_timeout_seconds=timeout)


def _last_day(instant: datetime) -> date:
    """The last China day on which the (exclusive) instant still allows the action."""
    return last_china_day_before(instant)


async def get_program(db: Db, program_id: uuid.UUID) -> ProgramOut:
    row = await programs.program_view(db, program_id)
    if row is None:
        raise NotFound(f"program {program_id} not found")
    return views.program_out(row)


async def program_transfers(db: Db, who: Principal, program_id: uuid.UUID,
                            page: Page) -> dict[str, Any]:
    program = await programs.program_by_id(db, program_id)
    if program is None:
        raise NotFound(f"program {program_id} not found")
    require_operator_of(who, program["issuer_region"])
    rows = await programs.transfers_page(db, program_id, page.limit, page.after)
    items = [views.transfer_out(r) for r in rows]
    return page_of(items, page.limit, lambda t: (t.created_at, t.id))
