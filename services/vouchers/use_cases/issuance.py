"""Issuing vouchers to the small firms of a program's region, and reading vouchers."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg

from services.vouchers.domain import VoucherRef, layout, spendable
from services.vouchers.domain import movements as move
from services.vouchers.domain.errors import StateConflict
from services.vouchers.domain.issuance_rules import check_issuance
from services.vouchers.domain.terms import Enterprise
from services.vouchers.repository import ledger, organizations, programs, vouchers
from services.vouchers.repository.refusals import market_refusal
from services.vouchers.schemas import VoucherIn, VoucherOut
from services.vouchers.use_cases import views
from services.vouchers.use_cases.access import (
    is_enterprise,
    require_enterprise_or_operator,
    require_operator_of,
)
from services.vouchers.use_cases.problems import accepted, conflict, refuse, unprocessable
from services.vouchers.use_cases.programs import database_now
from services.vouchers.use_cases.terms import program_terms
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import Forbidden, NotFound
from shared.events.vouchers import VoucherIssued
from shared.pagination import Page, page_of


async def issue_voucher(db: Db, who: Principal, program_id: uuid.UUID,
                        body: VoucherIn) -> VoucherOut:
    program = await programs.program_by_id(db, program_id)
    if program is None:
        raise NotFound(f"program {program_id} not found")
    region = program["issuer_region"]
    require_operator_of(who, region)
    enterprise = await _enterprise(db, body.enterprise_org_id)
    # The budget's row lock makes issuances of one program queue, so the budget and the
    # enterprise's running total the rules see are current (the database checks both too).
    budget = (await ledger.lock_accounts(db, [program["budget_account_id"]])).popitem()[1]
    issued = await vouchers.issued_to(db, program_id, enterprise.org_id)
    refuse(check_issuance(program_terms(program), enterprise, body.amount_fen,
                          budget_available_fen=spendable(budget), enterprise_issued_fen=issued,
                          now=await database_now(db)), "the voucher cannot be issued")
    voucher = VoucherRef(uuid.uuid4(), program_id, region)
    account = layout.voucher_account(voucher.voucher_id, program_id, region)
    accepted((await ledger.create_accounts(db, [account]))[0], "voucher account")
    issue = move.voucher_issue(voucher, body.amount_fen)
    accepted(await ledger.create_transfer(db, issue), "voucher issue")
    await _insert(db, voucher, enterprise.org_id, body.amount_fen, account.id, issue.id)
    row = await vouchers.voucher_view(db, voucher.voucher_id)
    assert row is not None
    await outbox.record(db, VoucherIssued(
        voucher_id=str(voucher.voucher_id), program_id=str(program_id),
        enterprise_org_id=str(enterprise.org_id), amount_fen=body.amount_fen,
        occurred_at=row["created_at"]))
    return views.voucher_out(row)


async def _enterprise(db: Db, org_id: uuid.UUID) -> Enterprise:
    org = await organizations.organization_by_id(db, org_id)
    if org is None:
        # Like a deal not yet signed: its organization.registered may still be on its way.
        raise conflict(StateConflict(f"enterprise {org_id}", "unknown", "enterprise_not_known"))
    return Enterprise(org_id=org["id"], region=org["region"], small_firm=org["small_firm"])


async def _insert(db: Db, voucher: VoucherRef, enterprise_org_id: uuid.UUID,
                  amount_fen: int, account_id: uuid.UUID, issue_id: uuid.UUID) -> None:
    values = {"id": voucher.voucher_id, "program_id": voucher.program_id,
              "enterprise_org_id": enterprise_org_id, "issuer_region": voucher.issuer_region,
              "amount_fen": amount_fen, "account_id": account_id, "issue_transfer_id": issue_id}
    try:
        await vouchers.insert_voucher(db, values)
    except asyncpg.PostgresError as exc:  # the transaction is lost either way: the request fails
        refused = market_refusal(exc)
        if refused is None or refused.reason != "enterprise_allowances_within_cap":
            raise
        raise unprocessable("amount_fen", "over_enterprise_cap",
                            "this enterprise may not receive that much more from this program"
                            ) from exc


async def get_voucher(db: Db, who: Principal, voucher_id: uuid.UUID
                      ) -> VoucherOut:
    row = await vouchers.voucher_view(db, voucher_id)
    if row is None:
        raise NotFound(f"voucher {voucher_id} not found")
    require_enterprise_or_operator(who, row["enterprise_org_id"], row["issuer_region"])
    return views.voucher_out(row)


async def list_vouchers(db: Db, who: Principal, page: Page,
                        enterprise_org_id: uuid.UUID | None) -> dict[str, Any]:
    """An enterprise sees its own vouchers; an operator those its region issued."""
    if who.role == "enterprise":
        if enterprise_org_id is None and who.org is not None:
            enterprise_org_id = _org_id(who.org)
        if enterprise_org_id is None or not is_enterprise(who, enterprise_org_id):
            raise Forbidden("an enterprise sees its own vouchers only")
        region = None
    elif who.role == "operator" and who.region:
        region = who.region
    else:
        raise Forbidden("vouchers are shown to their enterprise and to operators")
    rows = await vouchers.vouchers_page(db, limit=page.limit, after=page.after,
                                        enterprise_org_id=enterprise_org_id,
                                        issuer_region=region)
    items = [views.voucher_out(r) for r in rows]
    return page_of(items, page.limit, lambda v: (v.created_at, v.id))


def _org_id(org: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(org)
    except ValueError:
        return None
