"""Deals, contracts and certificates as the API shows them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, TypeVar

from pydantic import BaseModel

from services.deals.domain import contract_type, tax_benefits_for
from services.deals.repository.records import ContractRecord, DealRecord, RegistrationRecord
from services.deals.schemas import (
    CertificateOut,
    ContractOut,
    DealOut,
    PartyOut,
    RejectionOut,
    ReviewOut,
    TaxBenefitOut,
    TerminationOut,
)

M = TypeVar("M", bound=BaseModel)


def deal_out(deal: DealRecord) -> DealOut:
    contract = contract_out(deal.contract) if deal.contract else None
    registration = deal.registration
    return DealOut(
        id=deal.id, offer_id=deal.offer_id, need_id=deal.need_id,
        seller_org_id=deal.seller_org_id, buyer_org_id=deal.buyer_org_id,
        seller_region=deal.seller_region, buyer_region=deal.buyer_region,
        broker_id=deal.broker_id, title=deal.title, status=deal.status, version=deal.version,
        created_at=deal.created_at, updated_at=deal.updated_at, contract=contract,
        tech_amount_fen=contract.tech_amount_fen if contract else None,
        registration_no=registration.registration_no if registration else None,
        certificate=certificate_out(registration, deal.status) if registration else None,
        rejection=_optional(RejectionOut, deal.rejection),
        review=_optional(ReviewOut, deal.review),
        termination=_optional(TerminationOut, deal.termination))


def _optional(shape: type[M], stored: dict[str, Any] | None) -> M | None:
    return shape.model_validate(stored) if stored is not None else None


def contract_out(contract: ContractRecord) -> ContractOut:
    return ContractOut.model_validate(contract, from_attributes=True)


def certificate_out(registration: RegistrationRecord, deal_status: str) -> CertificateOut:
    kind = contract_type(registration.contract_type)
    r = registration
    return CertificateOut(
        registration_no=r.registration_no, registered_on=r.registered_on,
        registry_region=r.seller_region,
        seller=PartyOut(org_id=r.seller_org_id, name=r.seller_name, region=r.seller_region),
        buyer=PartyOut(org_id=r.buyer_org_id, name=r.buyer_name, region=r.buyer_region),
        contract_type=kind.code, contract_type_name_zh=kind.name_zh,
        contract_type_name_en=kind.name_en, signed_on=r.signed_on, total_fen=r.total_fen,
        tech_amount_fen=r.tech_amount_fen,
        tax_benefits=[TaxBenefitOut(**asdict(b)) for b in tax_benefits_for(kind.code)],
        deal_id=r.deal_id, deal_status=deal_status, verification_code=r.verification_code)
