"""HTTP models of technology brokers."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from services.listings.schemas.common import RegionCode, Strict

REPRESENTS_MAX_ITEMS = 500  # an agency's whole client book, far above any real broker's
CERTIFICATE_PATTERN = r"^[A-Za-z0-9\-]+$"
CERTIFICATE_HELP = "technology broker certificate number, e.g. BJ-JSJJ-2019-0042"


class BrokerIn(Strict):
    name: str = Field(min_length=2, max_length=100)
    certificate_no: str = Field(min_length=4, max_length=40, pattern=CERTIFICATE_PATTERN,
                                description=CERTIFICATE_HELP)
    region: str = RegionCode
    agency_org_id: UUID = Field(description="a broker_agency organisation")
    represents: list[UUID] = Field(default_factory=list, max_length=REPRESENTS_MAX_ITEMS,
                                   description="organisations this broker acts for")


class BrokerPatch(Strict):
    """Only the fields given change; `represents` replaces the whole list."""

    name: str | None = Field(None, min_length=2, max_length=100)
    certificate_no: str | None = Field(None, min_length=4, max_length=40,
                                       pattern=CERTIFICATE_PATTERN, description=CERTIFICATE_HELP)
    represents: list[UUID] | None = Field(None, max_length=REPRESENTS_MAX_ITEMS)


class BrokerOut(BaseModel):
    id: UUID
    broker_id: UUID
    name: str
    certificate_no: str
    region: str
    agency_org_id: UUID
    represents: list[UUID]
    version: int
    created_at: datetime
    updated_at: datetime


class BrokerPage(BaseModel):
    items: list[BrokerOut]
    next_cursor: str | None
