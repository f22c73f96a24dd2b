"""The balances the API shows, read off ledger accounts (where counters cannot tell
redemption from expiry apart, the repository sums the transfers by their code)."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from services.vouchers.domain.ledger_model import Account


def spendable(account: Account) -> int:
    """What a limited account can still give: reservations count as given."""
    return account.credits_posted - account.debits_posted - account.debits_pending


@dataclass(frozen=True)
class ProgramBalances:
    available_fen: int  # budget not yet issued (expired voucher money comes back here)
    issued_fen: int  # everything ever issued as vouchers
    redeemed_fen: int  # everything providers earned from this program's vouchers


def program_balances(budget: Account, redeemed_fen: int) -> ProgramBalances:
    return ProgramBalances(
        available_fen=spendable(budget),
        issued_fen=budget.debits_posted,
        redeemed_fen=redeemed_fen,
    )


@dataclass(frozen=True)
class VoucherBalances:
    available_fen: int
    reserved_fen: int
    redeemed_fen: int
    expired_fen: int

    @property
    def issued_fen(self) -> int:
        return self.available_fen + self.reserved_fen + self.redeemed_fen + self.expired_fen


def voucher_balances(voucher: Account, expired_fen: int) -> VoucherBalances:
    # debits_posted mixes redemptions and expiries; the expiry transfers tell them apart.
    return VoucherBalances(
        available_fen=spendable(voucher),
        reserved_fen=voucher.debits_pending,
        redeemed_fen=voucher.debits_posted - expired_fen,
        expired_fen=expired_fen,
    )


@dataclass(frozen=True)
class Settlement:
    issuer_region: str
    provider_org_id: UUID
    owed_fen: int  # redeemed and not yet paid
    paid_fen: int
    reserved_fen: int  # still pending: may become owed, may be released


def settlement(payable: Account) -> Settlement:
    region, provider = payable.user_data.region, payable.user_data.provider_org_id
    if region is None or provider is None:
        raise ValueError(f"account {payable.id} is not a provider payable account")
    return Settlement(
        issuer_region=region,
        provider_org_id=provider,
        owed_fen=payable.credits_posted - payable.debits_posted,
        paid_fen=payable.debits_posted,
        reserved_fen=payable.credits_pending,
    )
