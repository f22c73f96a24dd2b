"""Settlement: what each issuing region owes each provider, and paying it."""

from __future__ import annotations

import uuid
from typing import Any

from services.vouchers.domain import layout, settlement
from services.vouchers.domain import movements as move
from services.vouchers.repository import ledger, settlements
from services.vouchers.schemas import PaymentIn, PaymentOut
from services.vouchers.use_cases import views
from services.vouchers.use_cases.access import region_seen_by, require_operator_of
from services.vouchers.use_cases.problems import accepted, unprocessable
from services.vouchers.use_cases.programs import database_now, region_codes
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.errors import Forbidden, InvalidState, NotFound
from shared.events.vouchers import SettlementPaid
from shared.pagination import Page, page_of


async def _short_code(db: Db, given: str | None, field: str) -> str | None:
    if given is None:
        return None
    codes = await region_codes(db)
    short = codes.get(given.strip().upper())
    if short is None:
        raise unprocessable(field, "unknown_region", f"{given!r} is not a known region")
    return short


async def list_settlements(db: Db, who: Principal, page: Page, issuer_region: str | None,
                           provider_region: str | None, provider_org_id: uuid.UUID | None
                           ) -> dict[str, Any]:
    """What issuing regions owe providers: an operator sees its own region's debts only."""
    issuer = await _short_code(db, issuer_region, "issuer_region")
    own = region_seen_by(who)
    if own is not None and issuer not in (None, own):
        raise Forbidden(f"an operator of {own} sees only what {own} owes")
    rows = await settlements.owed_page(
        db, limit=page.limit, after=page.after, issuer_region=own or issuer,
        provider_region=await _short_code(db, provider_region, "provider_region"),
        provider_org_id=provider_org_id)
    page_rows = page_of(list(rows), page.limit, lambda r: (r["created_at"], r["id"]))
    return {**page_rows, "items": [views.settlement_out(r) for r in page_rows["items"]]}


async def pay(db: Db, who: Principal, provider_org_id: uuid.UUID,
              body: PaymentIn | None) -> PaymentOut:
    given = body.issuer_region if body and body.issuer_region else who.region
    region = await _short_code(db, given, "issuer_region") if given else None
    require_operator_of(who, region or "an issuing region")
    assert region is not None
    payable_id = layout.payable_account_id(region, provider_org_id)
    paid_id = layout.paid_account_id(region, provider_org_id)
    # Locked, so two operators paying at once pay once: the second sees nothing owed.
    locked = await ledger.lock_accounts(db, [payable_id, paid_id])
    if payable_id not in locked:
        raise NotFound(f"{region} has never reserved vouchers for provider {provider_org_id}")
    owed = settlement(locked[payable_id])
    if owed.owed_fen == 0:
        raise InvalidState(f"settlement of {provider_org_id} by {region} is settled: "
                           "nothing is owed")
    payment = move.settlement_payment(region, provider_org_id, owed.owed_fen, owed.paid_fen)
    accepted(await ledger.create_transfer(db, payment), "settlement payment")
    now = await database_now(db)
    provider_region = await settlements.provider_region(db, provider_org_id)
    await outbox.record(db, SettlementPaid(
        settlement_id=str(payment.id), issuer_region=region,
        provider_org_id=str(provider_org_id), provider_region=provider_region or "",
        amount_fen=owed.owed_fen, paid_at=now))
    return PaymentOut(settlement_id=payment.id, issuer_region=region,
                      provider_org_id=provider_org_id, provider_region=provider_region,
                      amount_fen=owed.owed_fen, owed_fen=0,
                      paid_fen=owed.paid_fen + owed.owed_fen, paid_at=now)
