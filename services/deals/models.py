"""Tables of the deals database.

Replicas (organisations, offers, needs, brokers) are kept from `listings.events` and, when
they lag, from the listings HTTP API. Deals, their contracts and registrations are ours.
These classes declare the tables for the migrations (Alembic) and as the schema's readable
description; nothing at runtime queries through them: every query is SQL in repository/.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Organization(Base):
    """Replica of listings' organisations, kept from `organization.registered` events."""

    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    credit_code: Mapped[str] = mapped_column(String(18))
    region: Mapped[str] = mapped_column(String(4))
    kind: Mapped[str] = mapped_column(String(20))
    small_firm: Mapped[bool] = mapped_column(Boolean)
    replicated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())


class ListingFacts:
    """What deals keeps of an offer or a need: whether it is open, and where."""

    title: Mapped[str] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    replicated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())


class Offer(ListingFacts, Base):
    __tablename__ = "offers"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    owner_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class Need(ListingFacts, Base):
    __tablename__ = "needs"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))


class Broker(Base):
    """Replica of broker profiles: a broker acts only for the organisations it represents."""

    __tablename__ = "brokers"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    certificate_no: Mapped[str] = mapped_column(Text)
    region: Mapped[str] = mapped_column(String(4))
    agency_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    represents: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(UUID(as_uuid=True)))
    version: Mapped[int] = mapped_column(Integer)
    replicated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())


class Deal(Base):
    __tablename__ = "deals"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    offer_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    need_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    seller_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    # The parties' regions when the deal was opened: registration and statistics use them.
    seller_region: Mapped[str] = mapped_column(String(4))
    buyer_region: Mapped[str] = mapped_column(String(4))
    broker_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer)
    # The last refusal (reason codes) or review decision, kept so the broker can amend.
    rejection: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    review: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    termination: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Contract(Base):
    """The signed contract of a deal; an amended contract replaces it until registration."""

    __tablename__ = "contracts"

    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id"), primary_key=True)
    type: Mapped[str] = mapped_column(String(40))
    signed_on: Mapped[date] = mapped_column(Date)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    deductions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    ip: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    document_sha256: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    acceptance_criteria: Mapped[str | None] = mapped_column(Text)
    tech_amount_fen: Mapped[int] = mapped_column(BigInteger)
    attached_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Registration(Base):
    """A registered technology contract: the certificate's facts, frozen when registered."""

    __tablename__ = "registrations"

    registration_no: Mapped[str] = mapped_column(String(16), primary_key=True)
    deal_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("deals.id"), unique=True)
    region_code: Mapped[str] = mapped_column(String(6))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    registered_on: Mapped[date] = mapped_column(Date)
    contract_type: Mapped[str] = mapped_column(String(40))
    signed_on: Mapped[date] = mapped_column(Date)
    total_fen: Mapped[int] = mapped_column(BigInteger)
    tech_amount_fen: Mapped[int] = mapped_column(BigInteger)
    document_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    seller_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    seller_name: Mapped[str] = mapped_column(Text)
    seller_region: Mapped[str] = mapped_column(String(4))
    buyer_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    buyer_name: Mapped[str] = mapped_column(Text)
    buyer_region: Mapped[str] = mapped_column(String(4))
    # Random, printed on the certificate: the public lookup needs it with the number.
    verification_code: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())


class RegistrationCounter(Base):
    """The last sequence handed out per registry region and year.

    Incremented in the registering transaction: a rolled-back registration rolls the counter
    back too, so numbers are gap-free and never reused (a SEQUENCE would leave gaps).
    """

    __tablename__ = "registration_counters"

    region_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_sequence: Mapped[int] = mapped_column(Integer)
