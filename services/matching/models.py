"""Tables of the matching database: its own read model of the listings it ranks.

One row per offer or need ever seen on `listings.events`, whatever its status, so an older
event never overwrites a newer one (version) and `GET /needs/{id}/matches` can tell a
listing it has not seen (404) from one that left the market. A status event can arrive
before the listing's snapshot: the row then holds only id, status and version (title NULL)
until a newer snapshot fills it in.

`seq` grows with every snapshot written: the start-up rebuild indexes listings in that
order, the order the live index received them, so ties rank the same after a restart.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, DateTime, Integer, SmallInteger, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NEXT_SEQ = text("nextval('listing_seq')")  # the sequence is created by migration 0002


class Base(DeclarativeBase):
    pass


class Offer(Base):
    __tablename__ = "offers"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    status: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger, server_default=NEXT_SEQ)
    owner_org_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    trl: Mapped[int | None] = mapped_column(SmallInteger)
    modes: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    asking_price_fen: Mapped[int | None] = mapped_column(BigInteger)
    region: Mapped[str | None] = mapped_column(Text)
    valid_until: Mapped[date | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())


class Need(Base):
    __tablename__ = "needs"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    status: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(BigInteger, server_default=NEXT_SEQ)
    buyer_org_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    title: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    min_trl: Mapped[int | None] = mapped_column(SmallInteger)
    budget_min_fen: Mapped[int | None] = mapped_column(BigInteger)
    budget_max_fen: Mapped[int | None] = mapped_column(BigInteger)
    cross_region_ok: Mapped[bool | None] = mapped_column()
    modes: Mapped[list[str] | None] = mapped_column(ARRAY(Text))
    region: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
