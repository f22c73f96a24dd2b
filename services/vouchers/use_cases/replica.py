"""Keeping the deals replica from deals.events, and what a deal's end does to vouchers.

Each event says from which statuses it may follow, so a late or replayed event never
moves a deal backwards (signed after registered changes nothing), and a deal first seen
at a later stage (the signed event was missed) is still recorded with its terms.
"""

from __future__ import annotations

import uuid
from typing import Any

from services.vouchers.repository import deals
from services.vouchers.use_cases.programs import region_codes
from services.vouchers.use_cases.resolving import release_for_deal
from shared.db import Db
from shared.events.deals import (
    ContractTerms,
    DealCompleted,
    DealParties,
    DealRegistered,
    DealRegistrationRejected,
    DealTerminated,
)

OPEN = ("signed", "expert_review")
BEFORE_END = ("signed", "expert_review", "registered")


async def _parties(db: Db, event: DealParties, status: str) -> dict[str, Any]:
    codes = await region_codes(db)
    return {"id": uuid.UUID(event.deal_id), "status": status,
            "seller_org_id": uuid.UUID(event.seller_org_id),
            "buyer_org_id": uuid.UUID(event.buyer_org_id),
            "seller_region": codes.get(event.seller_region.upper(), event.seller_region),
            "buyer_region": codes.get(event.buyer_region.upper(), event.buyer_region)}


async def _terms(db: Db, event: ContractTerms, status: str) -> dict[str, Any]:
    return {**await _parties(db, event, status), "contract_type": event.contract_type,
            "total_fen": event.total_fen, "tech_amount_fen": event.tech_amount_fen}


async def deal_signed(db: Db, event: ContractTerms) -> None:
    # A deal whose registration was refused is amended and signed again: new terms.
    await deals.upsert_with_terms(db, await _terms(db, event, "signed"), OPEN)


async def deal_in_expert_review(db: Db, event: ContractTerms) -> None:
    await deals.upsert_with_terms(db, await _terms(db, event, "expert_review"), OPEN)


async def deal_registered(db: Db, event: DealRegistered) -> None:
    values = {**await _terms(db, event, "registered"),
              "registration_no": event.registration_no}
    await deals.upsert_with_terms(db, values, BEFORE_END)


async def deal_registration_rejected(db: Db,
                                     event: DealRegistrationRejected) -> None:
    await deals.set_status(db, uuid.UUID(event.deal_id), "signed", ("expert_review",))


async def deal_completed(db: Db, event: DealCompleted) -> None:
    await deals.upsert_status(db, await _parties(db, event, "completed"),
                              (*BEFORE_END, "completed"))


async def deal_terminated(db: Db, event: DealTerminated) -> None:
    await deals.upsert_status(db, await _parties(db, event, "terminated"),
                              (*BEFORE_END, "terminated"))
    # Runs on a replay too: by then nothing is pending, so nothing is released twice.
    await release_for_deal(db, uuid.UUID(event.deal_id))
