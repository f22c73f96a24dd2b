"""The integration events of a deal, built from its current state."""

from __future__ import annotations

from typing import Any

from services.deals.repository.records import ContractRecord, DealRecord


def parties(deal: DealRecord) -> dict[str, Any]:
    """The fields every deal event carries (DealParties)."""
    return {
        "deal_id": str(deal.id),
        "offer_id": str(deal.offer_id) if deal.offer_id else None,
        "need_id": str(deal.need_id) if deal.need_id else None,
        "seller_org_id": str(deal.seller_org_id),
        "buyer_org_id": str(deal.buyer_org_id),
        "seller_region": deal.seller_region,
        "buyer_region": deal.buyer_region,
    }


def terms(deal: DealRecord, contract: ContractRecord) -> dict[str, Any]:
    """Parties plus the contract's type, both amounts and dates (ContractTerms)."""
    return {
        **parties(deal),
        "contract_type": contract.type,
        "total_fen": contract.total_fen,
        "tech_amount_fen": contract.tech_amount_fen,
        "signed_on": contract.signed_on,
        "valid_until": contract.valid_until,
    }
