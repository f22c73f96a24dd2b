"""HTTP models of the matching service (docs/api.md, matching)."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, ConfigDict, Field, StrictInt, field_validator

MAX_LIMIT = 200
QUERY_MAX_CHARS = 2000


class Factors(BaseModel):
    """Each factor's contribution; they add up to the score. 0 where a factor did not
    apply (e.g. price for a negotiable offer) or was not met."""

    text: float
    industry: float
    trl: float
    price: float
    mode: float
    region: float
    freshness: float


class Explanation(BaseModel):
    matched_terms: list[str] = Field(description="query terms found in the listing, "
                                                 "most telling first")
    factors: Factors


class OfferCardOut(BaseModel):
    title: str
    region: str
    industry: str | None
    trl: int | None
    asking_price_fen: int | None = Field(description="null when negotiable (面议)")


class NeedCardOut(BaseModel):
    title: str
    region: str
    industry: str | None
    min_trl: int | None
    budget_min_fen: int | None
    budget_max_fen: int | None
    cross_region_ok: bool


class OfferMatch(BaseModel):
    offer_id: uuid.UUID
    score: float = Field(ge=0, le=1)
    explanation: Explanation
    offer: OfferCardOut


class NeedMatch(BaseModel):
    need_id: uuid.UUID
    score: float = Field(ge=0, le=1)
    explanation: Explanation
    need: NeedCardOut


class OfferMatches(BaseModel):
    items: list[OfferMatch]


class NeedMatches(BaseModel):
    items: list[NeedMatch]


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=QUERY_MAX_CHARS,
                      description="what to look for, in Chinese or Latin words")
    industry: str | None = Field(None, pattern=r"^[a-z][a-z_]{0,39}$",
                                 description="industry code, e.g. new_materials")
    region: str | None = Field(None, min_length=2, max_length=6,
                               description="BJ, TJ, HE or the GB/T 2260 code (110000 ...)")
    min_trl: StrictInt | None = Field(None, ge=1, le=9)
    max_price_fen: StrictInt | None = Field(None, ge=0, description="negotiable offers stay in")

    @field_validator("text")
    @classmethod
    def not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("must contain something to search for")
        return text
