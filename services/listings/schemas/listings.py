"""HTTP models of offers and needs.

These models check shapes and types (a float or a string is not an amount, an unknown code
is not an industry) and the size limits the domain shares with them; the market's rules
(TRL range, IP numbers, budgets, dates) are judged by `domain.rules` on the parsed body.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias
from uuid import UUID

from pydantic import BaseModel, Field, StrictBool, StrictInt

from services.listings.domain.catalogue import INDUSTRIES, OFFER_KINDS, TRANSACTION_MODES
from services.listings.domain.ip import IP_KINDS
from services.listings.domain.lifecycle import ListingStatus
from services.listings.domain.limits import (
    DESCRIPTION_MAX_CHARS,
    IP_DESCRIPTION_MAX_CHARS,
    IP_MAX_ITEMS,
    IP_NUMBER_MAX_CHARS,
    KEYWORD_MAX_CHARS,
    KEYWORDS_MAX_ITEMS,
    SUMMARY_MAX_CHARS,
    TITLE_MAX_CHARS,
)
from services.listings.schemas.common import Strict

# Built from the catalogue so the OpenAPI document lists the codes the domain accepts. A
# type checker cannot read a Literal built at run time: to it they are strings.
if TYPE_CHECKING:
    IndustryCode: TypeAlias = str
    ModeCode: TypeAlias = str
    OfferKind: TypeAlias = str
    IpKind: TypeAlias = str
    Status: TypeAlias = str
else:
    IndustryCode = Literal[tuple(industry.code for industry in INDUSTRIES)]
    ModeCode = Literal[tuple(mode.code for mode in TRANSACTION_MODES)]
    OfferKind = Literal[tuple(kind.code for kind in OFFER_KINDS)]
    IpKind = Literal[IP_KINDS]
    Status = Literal[tuple(status.value for status in ListingStatus)]

Title = Annotated[str, Field(max_length=TITLE_MAX_CHARS)]
Summary = Annotated[str, Field(max_length=SUMMARY_MAX_CHARS)]
Description = Annotated[str, Field(max_length=DESCRIPTION_MAX_CHARS)]
Keywords = Annotated[list[Annotated[str, Field(max_length=KEYWORD_MAX_CHARS)]],
                     Field(max_length=KEYWORDS_MAX_ITEMS)]
Modes = Annotated[list[ModeCode], Field(max_length=len(TRANSACTION_MODES))]
Fen = Annotated[StrictInt, Field(description="integer fen (分); 100 fen = 1 yuan")]


class IpItemIn(Strict):
    kind: IpKind
    number: str | None = Field(None, max_length=IP_NUMBER_MAX_CHARS,
                               description="e.g. ZL201720001285.X; none for a trade secret")
    description: str | None = Field(None, max_length=IP_DESCRIPTION_MAX_CHARS)


class OfferIn(Strict):
    owner_org_id: UUID
    kind: OfferKind = Field(description="technology (技术成果) or service (lab service)")
    title: Title
    summary: Summary = ""
    description: Description = ""
    industry: IndustryCode
    keywords: Keywords = Field(default_factory=list)
    trl: StrictInt = Field(description="technology readiness level 1-9 (GB/T 22900)")
    ip: Annotated[list[IpItemIn], Field(max_length=IP_MAX_ITEMS)] = Field(default_factory=list)
    modes: Modes
    asking_price_fen: Fen | None = Field(None, description="null: price negotiable")
    valid_until: date


class OfferPatch(Strict):
    """Only the fields given change; the owner cannot change."""

    kind: OfferKind | None = None
    title: Title | None = None
    summary: Summary | None = None
    description: Description | None = None
    industry: IndustryCode | None = None
    keywords: Keywords | None = None
    trl: StrictInt | None = None
    ip: Annotated[list[IpItemIn], Field(max_length=IP_MAX_ITEMS)] | None = None
    modes: Modes | None = None
    asking_price_fen: Fen | None = None
    valid_until: date | None = None


class NeedIn(Strict):
    buyer_org_id: UUID
    title: Title
    description: Description
    industry: IndustryCode
    keywords: Keywords = Field(default_factory=list)
    min_trl: StrictInt | None = None
    budget_min_fen: Fen | None = None
    budget_max_fen: Fen | None = None
    cross_region_ok: StrictBool = True
    modes: Modes
    deadline: date


class NeedPatch(Strict):
    """Only the fields given change; the buyer cannot change."""

    title: Title | None = None
    description: Description | None = None
    industry: IndustryCode | None = None
    keywords: Keywords | None = None
    min_trl: StrictInt | None = None
    budget_min_fen: Fen | None = None
    budget_max_fen: Fen | None = None
    cross_region_ok: StrictBool | None = None
    modes: Modes | None = None
    deadline: date | None = None


class IpItemOut(BaseModel):
    kind: str
    number: str | None = None
    description: str | None = None


class ListingOut(BaseModel):
    id: UUID
    title: str
    description: str
    industry: str
    keywords: list[str]
    modes: list[str]
    region: str = Field(description="the owner's region (short code)")
    status: str
    deal_id: UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None


class OfferOut(ListingOut):
    owner_org_id: UUID
    kind: str
    summary: str
    trl: int
    ip: list[IpItemOut]
    asking_price_fen: int | None
    valid_until: date


class NeedOut(ListingOut):
    buyer_org_id: UUID
    min_trl: int | None
    budget_min_fen: int | None
    budget_max_fen: int | None
    cross_region_ok: bool
    deadline: date


class OfferPage(BaseModel):
    items: list[OfferOut]
    next_cursor: str | None


class NeedPage(BaseModel):
    items: list[NeedOut]
    next_cursor: str | None


def patch_fields(patch: BaseModel) -> dict[str, Any]:
    """The fields a PATCH body actually names (an explicit null included)."""
    return patch.model_dump(mode="python", exclude_unset=True)
