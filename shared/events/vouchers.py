"""Events published by the vouchers service on `vouchers.events`."""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from shared.events.catalogue import IntegrationEvent

TOPIC = "vouchers.events"


class VouchersEvent(IntegrationEvent):
    source: ClassVar[str] = "/vouchers"
    topic: ClassVar[str] = TOPIC


class ProgramOpened(VouchersEvent):
    event_type: ClassVar[str] = "program.opened"
    aggregate_field: ClassVar[str] = "program_id"

    program_id: str
    issuer_region: str
    name: str
    year: int
    budget_fen: int
    max_share_bp: int
    cap_per_enterprise_fen: int
    eligible_contract_types: list[str]
    recognized_regions: list[str]
    use_by: date
    redeem_by: date
    # Added (v1, additive): the exact instants (exclusive) behind the two dates, the
    # optional provider catalogue and how long a reservation holds.
    use_by_at: datetime | None = None
    redeem_by_at: datetime | None = None
    provider_catalog: list[str] | None = None
    reservation_timeout_seconds: int | None = None


class VoucherMovement(VouchersEvent):
    aggregate_field: ClassVar[str] = "voucher_id"

    voucher_id: str
    program_id: str
    enterprise_org_id: str
    amount_fen: int
    occurred_at: datetime


class VoucherIssued(VoucherMovement):
    event_type: ClassVar[str] = "voucher.issued"


class ReservationMovement(VoucherMovement):
    reservation_id: str
    deal_id: str
    provider_org_id: str


class VoucherReserved(ReservationMovement):
    event_type: ClassVar[str] = "voucher.reserved"

    expires_at: datetime


class VoucherRedeemed(ReservationMovement):
    event_type: ClassVar[str] = "voucher.redeemed"

    released_fen: int = 0


class VoucherReleased(ReservationMovement):
    event_type: ClassVar[str] = "voucher.released"

    reason: str


class VoucherExpired(VoucherMovement):
    event_type: ClassVar[str] = "voucher.expired"

    # Added (v1, additive): "use_by" for the sweep at the program's use-by date, or the
    # reservation whose release after use-by sent its amount back to the budget.
    reason: str = "use_by"
    reservation_id: str | None = None


class SettlementPaid(VouchersEvent):
    event_type: ClassVar[str] = "settlement.paid"
    aggregate_field: ClassVar[str] = "settlement_id"

    settlement_id: str
    issuer_region: str
    provider_org_id: str
    provider_region: str
    amount_fen: int
    paid_at: datetime
