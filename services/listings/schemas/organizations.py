"""HTTP models of organisations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field, StrictBool

from services.listings.schemas.common import RegionCode, Strict

OrgKind = Literal["enterprise", "university", "institute", "lab", "broker_agency"]


class HighTechCertIn(Strict):
    issuing_region: str = RegionCode
    number: str = Field(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9\-]+$")
    valid_until: date


class OrganizationIn(Strict):
    name: str = Field(min_length=2, max_length=200)
    credit_code: str = Field(min_length=18, max_length=18,
                             description="统一社会信用代码, 18 characters (GB 32100-2015)")
    region: str = RegionCode
    kind: OrgKind
    small_firm: StrictBool = False
    high_tech_cert: HighTechCertIn | None = None


class HighTechCertOut(BaseModel):
    issuing_region: str
    number: str
    valid_until: date
    recognised_in: list[str]


class OrganizationOut(BaseModel):
    id: UUID
    name: str
    credit_code: str
    region: str
    kind: str
    small_firm: bool
    high_tech_cert: HighTechCertOut | None
    version: int
    created_at: datetime


class OrganizationPage(BaseModel):
    items: list[OrganizationOut]
    next_cursor: str | None
