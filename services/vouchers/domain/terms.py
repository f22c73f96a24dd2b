"""What the voucher rules decide on: program terms and the facts the service knows
about enterprises, providers, deals and reservations (from its own tables and from the
listings and deals events)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

# Civil Code art. 843 ff.; the deals service owns the concept, vouchers only filter on it.
CONTRACT_TYPES: frozenset[str] = frozenset(
    {
        "development.commissioned",
        "development.cooperative",
        "transfer.patent",
        "transfer.patent_application",
        "transfer.technical_secret",
        "transfer.other_ip",
        "license.patent",
        "license.technical_secret",
        "license.other_ip",
        "consulting",
        "service.technical",
        "service.intermediary",
        "service.training",
    }
)

# Keeps every sum of amounts far inside PostgreSQL's bigint: 10^15 fen is 10 trillion yuan.
MAX_AMOUNT_FEN = 10**15


@dataclass(frozen=True)
class ProgramTerms:
    issuer_region: str
    name: str
    year: int
    budget_fen: int
    max_share_bp: int  # basis points of a contract's technology amount a voucher may pay
    cap_per_enterprise_fen: int
    eligible_contract_types: tuple[str, ...]
    recognized_regions: tuple[str, ...]
    provider_catalog: tuple[UUID, ...] | None  # None: any provider of a recognised region
    use_by: datetime  # last instant a reservation may be made (exclusive)
    redeem_by: datetime  # last instant a redemption may be made (exclusive)


@dataclass(frozen=True)
class Enterprise:
    org_id: UUID
    region: str
    small_firm: bool


@dataclass(frozen=True)
class Provider:
    org_id: UUID
    region: str


class DealStatus(StrEnum):
    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    EXPERT_REVIEW = "expert_review"
    REGISTERED = "registered"
    COMPLETED = "completed"
    TERMINATED = "terminated"


@dataclass(frozen=True)
class Deal:
    deal_id: UUID
    status: DealStatus
    contract_type: str
    tech_amount_fen: int
    seller_org_id: UUID
    buyer_org_id: UUID


class ReservationState(StrEnum):
    PENDING = "pending"
    REDEEMED = "redeemed"
    RELEASED = "released"


@dataclass(frozen=True)
class Reservation:
    reservation_id: UUID
    voucher_id: UUID
    deal_id: UUID
    amount_fen: int  # the amount held
    state: ReservationState
    expires_at: datetime
    redeemed_fen: int = 0  # what the redemption posted; the rest was released
