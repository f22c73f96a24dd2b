"""HTTP models of the vouchers API.

Requests are strict (exact JSON types, no extra fields, bounded sizes). Money is an integer:
1.0, "100" or true are refused here; whether an amount makes sense (positive, not absurdly
large, within a budget) is the domain's call, so the answer names the rule that refused it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictInt, StrictStr

from shared.china_time import end_of_china_day
from shared.text import Line, Text

# Inside a JSON double and far inside bigint; the domain refuses anything above 10^15 fen.
JSON_SAFE = 2**53
Fen = Annotated[StrictInt, Field(ge=-JSON_SAFE, le=JSON_SAFE, description="integer fen (分)")]
RegionCode = Annotated[StrictStr, Field(
    min_length=2, max_length=6, pattern=r"^(?:[A-Za-z]{2}|\d{6})$",
    description="short code (BJ, TJ, HE) or GB/T 2260 code (110000 ...)")]
MAX_TIMEOUT_SECONDS = 366 * 24 * 3600


def _instant(value: Any) -> Any:
    """A date means the end of that day in China (the next midnight, exclusive); a time
    must be RFC 3339. Numbers are refused: pydantic would read them as Unix times."""
    if not isinstance(value, str):
        raise ValueError("a date (YYYY-MM-DD) or an RFC 3339 time")
    if len(value) == 10:
        return end_of_china_day(date.fromisoformat(value))
    return value


Instant = Annotated[datetime, BeforeValidator(_instant)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProgramIn(Strict):
    issuer_region: RegionCode
    name: Line = Field(max_length=200)
    year: StrictInt = Field(ge=-JSON_SAFE, le=JSON_SAFE)
    budget_fen: Fen
    max_share_bp: StrictInt = Field(ge=-JSON_SAFE, le=JSON_SAFE,
                                    description="basis points of a contract's tech amount")
    cap_per_enterprise_fen: Fen
    eligible_contract_types: list[Annotated[Line, Field(max_length=60)]] = Field(
        max_length=50)
    recognized_regions: list[RegionCode] = Field(max_length=50)
    provider_catalog: list[UUID] | None = Field(None, max_length=10_000)
    use_by: Instant = Field(description="last day (or instant, exclusive) to reserve")
    redeem_by: Instant = Field(description="last day (or instant, exclusive) to redeem")
    reservation_timeout_seconds: StrictInt | None = Field(
        None, ge=1, le=MAX_TIMEOUT_SECONDS,
        description="how long a reservation holds before it is released (default: settings)")


class ProgramOut(BaseModel):
    id: UUID
    issuer_region: str
    name: str
    year: int
    budget_fen: int
    max_share_bp: int
    cap_per_enterprise_fen: int
    eligible_contract_types: list[str]
    recognized_regions: list[str]
    provider_catalog: list[UUID] | None
    use_by: datetime
    redeem_by: datetime
    reservation_timeout_seconds: int
    available_fen: int
    issued_fen: int
    redeemed_fen: int
    returned_fen: int = Field(description="unused voucher money that came back at use-by")
    version: int
    created_at: datetime


class VoucherIn(Strict):
    enterprise_org_id: UUID
    amount_fen: Fen


class VoucherOut(BaseModel):
    id: UUID
    program_id: UUID
    enterprise_org_id: UUID
    issuer_region: str
    amount_fen: int = Field(description="issued")
    available_fen: int
    reserved_fen: int
    redeemed_fen: int
    expired_fen: int
    use_by: datetime
    redeem_by: datetime
    expired_at: datetime | None
    version: int
    created_at: datetime


class VoucherPage(BaseModel):
    items: list[VoucherOut]
    next_cursor: str | None


class ReservationIn(Strict):
    deal_id: UUID
    provider_org_id: UUID
    amount_fen: Fen


class RedeemIn(Strict):
    amount_fen: Fen


class ReleaseIn(Strict):
    reason: Text | None = Field(None, max_length=500)


ReservationStatus = Literal["pending", "redeemed", "released"]


class ReservationOut(BaseModel):
    id: UUID
    voucher_id: UUID
    program_id: UUID
    enterprise_org_id: UUID
    deal_id: UUID
    provider_org_id: UUID
    provider_region: str
    issuer_region: str
    amount_fen: int = Field(description="held")
    status: ReservationStatus
    redeemed_fen: int
    released_fen: int
    release_reason: str | None
    expires_at: datetime
    resolved_at: datetime | None
    version: int
    created_at: datetime


class TransferOut(BaseModel):
    id: UUID
    kind: Literal["single", "pending", "post_pending", "void_pending"]
    movement: str = Field(description="program_funding, voucher_issue, reservation, ...")
    code: int
    debit_account_id: UUID
    credit_account_id: UUID
    amount_fen: int
    pending_id: UUID | None
    timeout_seconds: int
    voucher_id: UUID | None
    reservation_id: UUID | None
    deal_id: UUID | None
    provider_org_id: UUID | None
    region: str | None
    created_at: datetime


class TransferPage(BaseModel):
    items: list[TransferOut]
    next_cursor: str | None


class SettlementOut(BaseModel):
    issuer_region: str
    provider_org_id: UUID
    provider_region: str | None
    owed_fen: int = Field(description="redeemed and not yet paid")
    paid_fen: int
    reserved_fen: int = Field(description="still pending: may become owed, may be released")


class SettlementPage(BaseModel):
    items: list[SettlementOut]
    next_cursor: str | None


class PaymentIn(Strict):
    issuer_region: RegionCode | None = Field(
        None, description="defaults to the operator's region, and must be it")


class PaymentOut(BaseModel):
    settlement_id: UUID = Field(description="the ledger transfer that paid")
    issuer_region: str
    provider_org_id: UUID
    provider_region: str | None
    amount_fen: int
    owed_fen: int
    paid_fen: int
    paid_at: datetime


class ViolationOut(BaseModel):
    invariant: str
    subject: str
    detail: str


class LedgerCheckOut(BaseModel):
    ok: bool
    violations: list[ViolationOut]
