"""Deals, contracts, registrations and replica facts as plain Python objects.

The rows the repository reads and writes (services/deals/repository), without an ORM: the
deal path reads each in one statement and writes it back with another. Only the lifecycle
fields of a deal change in place; everything else is frozen.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class ContractRecord:
    """The signed contract of a deal (an amended one replaces it until registration)."""

    type: str
    signed_on: date
    valid_from: date
    valid_until: date
    total_fen: int
    deductions: list[dict[str, Any]]
    ip: list[dict[str, Any]]
    document_sha256: str | None
    subject: str
    acceptance_criteria: str | None
    tech_amount_fen: int
    attached_at: datetime


@dataclass(frozen=True)
class RegistrationRecord:
    """A registered technology contract: the certificate's facts, frozen when registered."""

    registration_no: str
    deal_id: uuid.UUID
    region_code: str
    year: int
    sequence: int
    registered_on: date
    contract_type: str
    signed_on: date
    total_fen: int
    tech_amount_fen: int
    document_sha256: str
    seller_org_id: uuid.UUID
    seller_name: str
    seller_region: str
    buyer_org_id: uuid.UUID
    buyer_name: str
    buyer_region: str
    # Printed on the certificate: with the number, what the public lookup asks for.
    verification_code: str


@dataclass
class DealRecord:
    id: uuid.UUID
    offer_id: uuid.UUID | None
    need_id: uuid.UUID | None
    seller_org_id: uuid.UUID
    buyer_org_id: uuid.UUID
    # The parties' regions when the deal was opened: registration and statistics use them.
    seller_region: str
    buyer_region: str
    broker_id: uuid.UUID
    title: str
    status: str
    version: int
    created_at: datetime
    updated_at: datetime
    # The last refusal (reason codes) or review decision, kept so the broker can amend.
    rejection: dict[str, Any] | None = None
    review: dict[str, Any] | None = None
    termination: dict[str, Any] | None = None
    contract: ContractRecord | None = None
    registration: RegistrationRecord | None = field(default=None)


@dataclass(frozen=True)
class BrokerProfile:
    """What deals needs of a broker: its agency and the organisations it represents."""

    id: uuid.UUID
    agency_org_id: uuid.UUID
    represents: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class PartyFacts:
    """An organisation of the replica as a deal names it."""

    id: uuid.UUID
    name: str
    region: str


@dataclass(frozen=True)
class ListingFacts:
    """An offer or a need of the replica: whose it is and whether it is published."""

    id: uuid.UUID
    owner_org_id: uuid.UUID  # the offer's owner, the need's buyer
    status: str
