"""Keeping the deals replica from deals.events, and what a deal's end does to vouchers.

Each event says from which statuses it may follow, so a late or replayed event never
moves a deal backwards (signed after registered changes nothing), and a deal first seen
at a later stage (the signed event was missed) is still recorded with its terms.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.vouchers.repository import deals
from services.vouchers.service.programs import region_codes
from services.vouchers.service.resolving import release_for_deal
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


async def _parties(session: AsyncSession, event: DealParties, status: str) -> dict[str, Any]:
    codes = await region_codes(session)
    return {"id": uuid.UUID(event.deal_id), "status": status,
            "seller_org_id": uuid.UUID(event.seller_org_id),
            "buyer_org_id": uuid.UUID(event.buyer_org_id),
            "seller_region": codes.get(event.seller_region.upper(), event.seller_region),
            "buyer_region": codes.get(event.buyer_region.upper(), event.buyer_region)}


async def _terms(session: AsyncSession, event: ContractTerms, status: str) -> dict[str, Any]:
    return {**await _parties(session, event, status), "contract_type": event.contract_type,
            "total_fen": event.total_fen, "tech_amount_fen": event.tech_amount_fen}


async def deal_signed(session: AsyncSession, event: ContractTerms) -> None:
    # A deal whose registration was refused is amended and signed again: new terms.
    await deals.upsert_with_terms(session, await _terms(session, event, "signed"), OPEN)


async def deal_in_expert_review(session: AsyncSession, event: ContractTerms) -> None:
    await deals.upsert_with_terms(session, await _terms(session, event, "expert_review"), OPEN)


async def deal_registered(session: AsyncSession, event: DealRegistered) -> None:
    values = {**await _terms(session, event, "registered"),
              "registration_no": event.registration_no}
    await deals.upsert_with_terms(session, values, BEFORE_END)


async def deal_registration_rejected(session: AsyncSession,
                                     event: DealRegistrationRejected) -> None:
    await deals.set_status(session, uuid.UUID(event.deal_id), "signed", ("expert_review",))


async def deal_completed(session: AsyncSession, event: DealCompleted) -> None:
    await deals.upsert_status(session, await _parties(session, event, "completed"),
                              (*BEFORE_END, "completed"))


async def deal_terminated(session: AsyncSession, event: DealTerminated) -> None:
    await deals.upsert_status(session, await _parties(session, event, "terminated"),
                              (*BEFORE_END, "terminated"))
    # Runs on a replay too: by then nothing is pending, so nothing is released twice.
    await release_for_deal(session, uuid.UUID(event.deal_id))
