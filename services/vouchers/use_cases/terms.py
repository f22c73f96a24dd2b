"""The domain's view of stored rows: program terms, deals, reservations, holds."""

from __future__ import annotations

from typing import Any

from services.vouchers.domain import ReservationRef, Transfer, VoucherRef
from services.vouchers.domain.terms import (
    Deal,
    DealStatus,
    ProgramTerms,
    Reservation,
    ReservationState,
)
from services.vouchers.repository.ledger import transfer_of
from services.vouchers.repository.rows import Row


def program_terms(row: Row) -> ProgramTerms:
    catalog = row["provider_catalog"]
    return ProgramTerms(
        issuer_region=row["issuer_region"], name=row["name"], year=row["year"],
        budget_fen=row["budget_fen"], max_share_bp=row["max_share_bp"],
        cap_per_enterprise_fen=row["cap_per_enterprise_fen"],
        eligible_contract_types=tuple(row["eligible_contract_types"]),
        recognized_regions=tuple(row["recognized_regions"]),
        provider_catalog=tuple(catalog) if catalog is not None else None,
        use_by=row["use_by"], redeem_by=row["redeem_by"])


def deal_of(row: Row, deal_id: Any) -> Deal | None:
    """The deal as the replica knows it (None when no event about it arrived yet)."""
    if row["deal_status"] is None:
        return None
    return Deal(deal_id=deal_id, status=DealStatus(row["deal_status"]),
                contract_type=row["contract_type"] or "",
                tech_amount_fen=row["tech_amount_fen"] or 0,
                seller_org_id=row["seller_org_id"], buyer_org_id=row["buyer_org_id"])


def voucher_ref(row: Row) -> VoucherRef:
    return VoucherRef(voucher_id=row["voucher_id"], program_id=row["program_id"],
                      issuer_region=row["issuer_region"])


def reservation_ref(row: Row) -> ReservationRef:
    return ReservationRef(reservation_id=row["reservation_id"], deal_id=row["deal_id"],
                          provider_org_id=row["provider_org_id"])


def reservation_of(row: Row) -> Reservation:
    return Reservation(reservation_id=row["reservation_id"], voucher_id=row["voucher_id"],
                       deal_id=row["deal_id"], amount_fen=row["reserved_fen"],
                       state=ReservationState(row["status"]), expires_at=row["expires_at"],
                       redeemed_fen=row["redeemed_fen"])


def hold_of(row: Row) -> Transfer:
    """The reservation's pending transfer, from the `hold_`-prefixed columns."""
    return transfer_of({key.removeprefix("hold_"): value for key, value in row.items()
                        if key.startswith("hold_")})
