"""Tables of the listings database, declared for Alembic and for the reader: the schema at
a glance. Nothing at run time queries through them; every query is SQL in `repository/`."""

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
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Organization(Base):
    __tablename__ = "organizations"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    region: Mapped[str] = mapped_column(String(4), index=True)  # FK to regions in the migration
    kind: Mapped[str] = mapped_column(String(20))
    small_firm: Mapped[bool] = mapped_column(Boolean, default=False)
    high_tech_cert: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())


class Broker(Base):
    """A technology broker (技术经纪人): a person working for a broker agency."""

    __tablename__ = "brokers"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    certificate_no: Mapped[str] = mapped_column(String(40), unique=True)
    region: Mapped[str] = mapped_column(String(4))
    agency_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class BrokerClient(Base):
    """An organisation a broker represents (`represents` of the broker's profile)."""

    __tablename__ = "broker_clients"

    broker_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("brokers.id", ondelete="CASCADE"),
                                                 primary_key=True)
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)  # keeps the order the operator gave


class ListingColumns:
    """What offers and needs have in common (the listing lifecycle and the text index)."""

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    industry: Mapped[str] = mapped_column(String(40))
    keywords: Mapped[list[str]] = mapped_column(ARRAY(Text))
    modes: Mapped[list[str]] = mapped_column(ARRAY(String(20)))
    region: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(12))
    deal_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    # Unigrams, bigrams and Latin words of the texts (domain.text_search), GIN-indexed.
    search_terms: Mapped[Any] = mapped_column(TSVECTOR, deferred=True)
    created_by: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                          nullable=True)


class Offer(ListingColumns, Base):
    """A technology offer (技术成果) or a service offer of a lab."""

    __tablename__ = "offers"

    owner_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(Text)
    trl: Mapped[int] = mapped_column(SmallInteger)
    ip: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    asking_price_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    valid_until: Mapped[date] = mapped_column(Date)


class Need(ListingColumns, Base):
    """A technology need (技术需求) of a buyer organisation."""

    __tablename__ = "needs"

    buyer_org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organizations.id"))
    min_trl: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    budget_min_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    budget_max_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    cross_region_ok: Mapped[bool] = mapped_column(Boolean)
    deadline: Mapped[date] = mapped_column(Date)
