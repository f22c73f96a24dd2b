"""HTTP views of stored rows. Every balance comes from the ledger, through the domain's
balance formulas (services.vouchers.domain.balances)."""

from __future__ import annotations

from services.vouchers.domain import (
    Account,
    TransferCode,
    TransferFlags,
    program_balances,
    voucher_balances,
)
from services.vouchers.repository.ledger import account_of
from services.vouchers.repository.rows import Row
from services.vouchers.schemas import (
    ProgramOut,
    ReservationOut,
    SettlementOut,
    TransferOut,
    VoucherOut,
)

KINDS = {TransferFlags.NONE: "single", TransferFlags.PENDING: "pending",
         TransferFlags.POST_PENDING: "post_pending", TransferFlags.VOID_PENDING: "void_pending"}


def prefixed_account(row: Row, prefix: str) -> Account:
    return account_of({key.removeprefix(prefix): value for key, value in row.items()
                       if key.startswith(prefix)})


def program_out(row: Row) -> ProgramOut:
    balances = program_balances(prefixed_account(row, "budget_"), row["redeemed_fen"])
    return ProgramOut(
        id=row["program_id"], issuer_region=row["issuer_region"], name=row["name"],
        year=row["year"], budget_fen=row["budget_fen"], max_share_bp=row["max_share_bp"],
        cap_per_enterprise_fen=row["cap_per_enterprise_fen"],
        eligible_contract_types=row["eligible_contract_types"],
        recognized_regions=row["recognized_regions"], provider_catalog=row["provider_catalog"],
        use_by=row["use_by"], redeem_by=row["redeem_by"],
        reservation_timeout_seconds=row["reservation_timeout_seconds"],
        available_fen=balances.available_fen, issued_fen=balances.issued_fen,
        redeemed_fen=balances.redeemed_fen, returned_fen=row["returned_fen"],
        version=row["program_version"], created_at=row["program_created_at"])


def voucher_out(row: Row) -> VoucherOut:
    balances = voucher_balances(prefixed_account(row, "account_"), row["expired_fen"])
    return VoucherOut(
        id=row["voucher_id"], program_id=row["program_id"],
        enterprise_org_id=row["enterprise_org_id"], issuer_region=row["issuer_region"],
        amount_fen=row["amount_fen"], available_fen=balances.available_fen,
        reserved_fen=balances.reserved_fen, redeemed_fen=balances.redeemed_fen,
        expired_fen=balances.expired_fen, use_by=row["use_by"], redeem_by=row["redeem_by"],
        expired_at=row["expired_at"], version=row["version"], created_at=row["created_at"])


def reservation_out(row: Row) -> ReservationOut:
    status = row["status"]
    released = row["reserved_fen"] - row["redeemed_fen"] if status != "pending" else 0
    return ReservationOut(
        id=row["reservation_id"], voucher_id=row["voucher_id"], program_id=row["program_id"],
        enterprise_org_id=row["enterprise_org_id"], deal_id=row["deal_id"],
        provider_org_id=row["provider_org_id"], provider_region=row["provider_region"],
        issuer_region=row["issuer_region"], amount_fen=row["reserved_fen"], status=status,
        redeemed_fen=row["redeemed_fen"], released_fen=released,
        release_reason=row["release_reason"], expires_at=row["expires_at"],
        resolved_at=row["resolved_at"], version=row["version"], created_at=row["created_at"])


def transfer_out(row: Row) -> TransferOut:
    return TransferOut(
        id=row["id"], kind=KINDS[TransferFlags(row["flags"])],  # type: ignore[arg-type]
        movement=TransferCode(row["code"]).name.lower(), code=row["code"],
        debit_account_id=row["debit_account_id"], credit_account_id=row["credit_account_id"],
        amount_fen=row["amount"], pending_id=row["pending_id"],
        timeout_seconds=row["timeout"], voucher_id=row["voucher_id"],
        reservation_id=row["reservation_id"], deal_id=row["deal_id"],
        provider_org_id=row["provider_org_id"], region=row["region"],
        created_at=row["created_at"])


def settlement_out(row: Row) -> SettlementOut:
    return SettlementOut(
        issuer_region=row["issuer_region"], provider_org_id=row["provider_org_id"],
        provider_region=row["provider_region"], owed_fen=row["owed_fen"],
        paid_fen=row["paid_fen"], reserved_fen=row["reserved_fen"])
