"""HTTP models of the deals API (requests strict: exact types, no extra fields, bounded)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt

from services.deals.domain import CONTRACT_TYPES
from shared.text import Line, Text

# 10^15 fen = 10 trillion RMB: far above any contract, and still exact in a JSON double.
MAX_FEN = 10**15
MAX_LISTED_ITEMS = 100

ContractTypeCode = StrEnum(  # type: ignore[misc]
    "ContractTypeCode", [(code, code) for code in CONTRACT_TYPES])
Fen = Annotated[StrictInt, Field(ge=0, le=MAX_FEN, description="integer fen (分)")]


def _date_text(value: Any) -> Any:
    # Refuse numbers: pydantic would read 1767225600 as a Unix time.
    if not isinstance(value, str):
        raise ValueError("a date as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_date_text)]


def _text(max_length: int, min_length: int = 0) -> Any:
    return Field(min_length=min_length, max_length=max_length)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DealIn(Strict):
    offer_id: UUID | None = None
    need_id: UUID | None = None
    seller_org_id: UUID
    buyer_org_id: UUID
    title: Line = _text(200, 1)


class DeductionIn(Strict):
    item: Text = _text(500)
    kind: Line = Field(max_length=40, description="equipment, instruments, parts or "
                            "raw_materials; anything else is refused at registration")
    amount_fen: Fen


class IpItemIn(Strict):
    kind: Line = _text(40)
    number: Line = _text(100)


class ContractIn(Strict):
    type: ContractTypeCode
    signed_on: Day
    valid_from: Day
    valid_until: Day
    total_fen: Fen
    deductions: list[DeductionIn] = Field(default_factory=list, max_length=MAX_LISTED_ITEMS)
    ip: list[IpItemIn] = Field(default_factory=list, max_length=MAX_LISTED_ITEMS)
    document_sha256: Line | None = Field(
        None, max_length=128, description="SHA-256 of the signed written contract")
    subject: Text = Field(max_length=20_000, description="the technical content (标的)")
    acceptance_criteria: Text | None = Field(None, max_length=20_000)


class ReviewIn(Strict):
    decision: Literal["approve", "reject"]
    reason: Text | None = Field(None, max_length=2_000)


class TerminateIn(Strict):
    reason: Text = Field(min_length=1, max_length=2_000, pattern=r"\S")


class DeductionOut(BaseModel):
    item: str
    kind: str
    amount_fen: int


class IpItemOut(BaseModel):
    kind: str
    number: str


class ContractOut(BaseModel):
    type: str
    signed_on: date
    valid_from: date
    valid_until: date
    total_fen: int
    deductions: list[DeductionOut]
    ip: list[IpItemOut]
    document_sha256: str | None
    subject: str
    acceptance_criteria: str | None
    tech_amount_fen: int = Field(description="total_fen minus the listed deductions")
    attached_at: datetime


class PartyOut(BaseModel):
    org_id: UUID
    name: str
    region: str


class TaxBenefitOut(BaseModel):
    code: str
    applicable: bool = Field(description="the contract type MAY unlock it; the tax office "
                             "decides")
    description_zh: str
    description_en: str
    condition_zh: str
    condition_en: str


class CertificateOut(BaseModel):
    registration_no: str
    registered_on: date
    registry_region: str = Field(description="the seller's region, where it was registered")
    seller: PartyOut
    buyer: PartyOut
    contract_type: str
    contract_type_name_zh: str
    contract_type_name_en: str
    signed_on: date
    total_fen: int
    tech_amount_fen: int
    tax_benefits: list[TaxBenefitOut]
    deal_id: UUID
    deal_status: str
    verification_code: str = Field(description="printed on the certificate; with the "
                                   "number, it opens GET /registrations/{no}?code=")


class ReasonOut(BaseModel):
    field: str
    code: str
    message: str


class RejectionOut(BaseModel):
    errors: list[ReasonOut]
    rejected_at: datetime


class ReviewOut(BaseModel):
    decision: str
    reason: str | None
    operator: str
    decided_at: datetime


class TerminationOut(BaseModel):
    reason: str
    previous_status: str
    terminated_at: datetime


class DealOut(BaseModel):
    id: UUID
    offer_id: UUID | None
    need_id: UUID | None
    seller_org_id: UUID
    buyer_org_id: UUID
    seller_region: str
    buyer_region: str
    broker_id: UUID
    title: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    contract: ContractOut | None
    tech_amount_fen: int | None
    registration_no: str | None
    certificate: CertificateOut | None
    rejection: RejectionOut | None = Field(description="why the last registration attempt "
                                           "was refused, to amend and resubmit")
    review: ReviewOut | None
    termination: TerminationOut | None


class DealPage(BaseModel):
    items: list[DealOut]
    next_cursor: str | None


class FlowOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_region: str = Field(alias="from", serialization_alias="from")
    to: str
    count: int
    total_fen: int
    tech_amount_fen: int


class TypeFlowOut(BaseModel):
    type: str
    count: int
    total_fen: int
    tech_amount_fen: int


class FlowStatisticsOut(BaseModel):
    year: int
    type: str | None
    flows: list[FlowOut]
    by_type: list[TypeFlowOut]
