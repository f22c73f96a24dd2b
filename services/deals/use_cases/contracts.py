"""Attaching the signed contract (or an amended one) to a deal."""

from __future__ import annotations

import uuid

from services.deals import repository
from services.deals.domain import DealAction, Deduction, tech_amount_fen
from services.deals.repository.records import ContractRecord
from services.deals.schemas import ContractIn, DealOut
from services.deals.use_cases import access, events, views
from services.deals.use_cases.lifecycle import deal_to_change, move, now
from services.deals.use_cases.listings_client import ListingsClient
from shared import outbox
from shared.auth import Principal
from shared.db import Db
from shared.events.deals import DealSigned


async def attach_contract(db: Db, who: Principal, deal_id: uuid.UUID,
                          body: ContractIn, listings: ListingsClient) -> DealOut:
    found = await deal_to_change(db, deal_id, access.maybe_broker_id(who))
    deal = found.deal
    await access.confirmed_broker(db, listings, who, found.broker, deal.seller_org_id,
                                  deal.buyer_org_id)
    at = now()
    move(deal, DealAction.ATTACH_CONTRACT, at)
    # Whether the contract is registrable is judged at registration, with reason codes;
    # here it is only recorded, with its technology amount computed. An amendment after a
    # refusal replaces the terms.
    deal.contract = ContractRecord(
        type=str(body.type), signed_on=body.signed_on, valid_from=body.valid_from,
        valid_until=body.valid_until, total_fen=body.total_fen,
        deductions=[d.model_dump() for d in body.deductions],
        ip=[i.model_dump() for i in body.ip],
        # Hex is case-insensitive: one document has one key for "registered once".
        document_sha256=body.document_sha256.strip().lower() if body.document_sha256
        else body.document_sha256,
        subject=body.subject, acceptance_criteria=body.acceptance_criteria,
        tech_amount_fen=tech_amount_fen(body.total_fen, [
            Deduction(d.item, d.kind, d.amount_fen) for d in body.deductions]),
        attached_at=at)
    deal.rejection = None
    await repository.save_with_contract(db, deal)
    await outbox.record(db, DealSigned(**events.terms(deal, deal.contract)))
    return views.deal_out(deal)
