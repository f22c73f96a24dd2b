"""Tables of the deals database."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, String, Text, func
from sqlalchemy.dialects.postgresql import UUID
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
