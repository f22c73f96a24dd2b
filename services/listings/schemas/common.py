"""Pieces every listings HTTP model uses."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

RegionCode = Field(min_length=2, max_length=6, pattern=r"^(?:[A-Za-z]{2}|\d{6})$",
                   description="short code (BJ, TJ, HE) or GB/T 2260 code (110000 ...)")


class Strict(BaseModel):
    """Request bodies: unknown fields are refused, surrounding blanks are dropped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
