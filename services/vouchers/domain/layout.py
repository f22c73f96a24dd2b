"""Which ledger accounts the voucher market keeps, and how they are named.

Money flows treasury → program budget → voucher → provider payable → provider paid
(docs/ledger.md). Every account that hands money on is limited so that it can never give
more than it received, reservations included: that is what makes over-issuing a budget or
over-spending a voucher impossible rather than merely checked.

Account ids are derived (UUID v5) from what the account is for, so creating an account is
naturally idempotent and every replica computes the same id without a lookup.
"""

from __future__ import annotations

from enum import IntEnum
from uuid import UUID, uuid5

from services.vouchers.domain.ledger_model import Account, AccountFlags, UserData

# Fixed forever: changing it would orphan every account and transfer id already stored.
LEDGER_NAMESPACE = UUID("6c3b1f0e-6f7a-5d1e-9a43-2f8e0c7b5a10")


class AccountCode(IntEnum):
    TREASURY = 10  # the issuing region's science commission: where voucher money comes from
    PROGRAM_BUDGET = 20  # a program's budget not yet handed out as vouchers
    VOUCHER = 30  # one enterprise's voucher
    PROVIDER_PAYABLE = 40  # what an issuing region owes a provider for redeemed vouchers
    PROVIDER_PAID = 50  # what an issuing region has paid a provider


class TransferCode(IntEnum):
    PROGRAM_FUNDING = 1  # program opened: treasury → budget
    VOUCHER_ISSUE = 2  # budget → voucher
    RESERVATION = 3  # pending voucher → payable
    REDEMPTION = 4  # post of a reservation (possibly partial)
    RELEASE = 5  # void of a reservation
    VOUCHER_EXPIRY = 6  # unused voucher balance back to its budget at use-by
    SETTLEMENT = 7  # payable → paid


LIMIT_BY_CODE: dict[AccountCode, AccountFlags] = {
    # The treasury only gives; whatever it ever gets back cannot exceed what it gave.
    AccountCode.TREASURY: AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS,
    AccountCode.PROGRAM_BUDGET: AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS,
    AccountCode.VOUCHER: AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS,
    # Paying a provider more than its redeemed vouchers earned it is impossible.
    AccountCode.PROVIDER_PAYABLE: AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS,
    AccountCode.PROVIDER_PAID: AccountFlags.NONE,
}


def ledger_id(*parts: object) -> UUID:
    """A stable id for an account or transfer, derived from what it is for."""
    return uuid5(LEDGER_NAMESPACE, "/".join(str(p) for p in parts))


def treasury_account_id(region: str) -> UUID:
    return ledger_id("treasury", region)


def budget_account_id(program_id: UUID) -> UUID:
    return ledger_id("program-budget", program_id)


def voucher_account_id(voucher_id: UUID) -> UUID:
    return ledger_id("voucher", voucher_id)


def payable_account_id(issuer_region: str, provider_org_id: UUID) -> UUID:
    return ledger_id("provider-payable", issuer_region, provider_org_id)


def paid_account_id(issuer_region: str, provider_org_id: UUID) -> UUID:
    return ledger_id("provider-paid", issuer_region, provider_org_id)


def _account(account_id: UUID, code: AccountCode, user_data: UserData) -> Account:
    return Account(id=account_id, code=code, flags=LIMIT_BY_CODE[code], user_data=user_data)


def treasury_account(region: str) -> Account:
    return _account(treasury_account_id(region), AccountCode.TREASURY, UserData(region=region))


def budget_account(program_id: UUID, issuer_region: str) -> Account:
    data = UserData(program_id=program_id, region=issuer_region)
    return _account(budget_account_id(program_id), AccountCode.PROGRAM_BUDGET, data)


def voucher_account(voucher_id: UUID, program_id: UUID, issuer_region: str) -> Account:
    data = UserData(program_id=program_id, voucher_id=voucher_id, region=issuer_region)
    return _account(voucher_account_id(voucher_id), AccountCode.VOUCHER, data)


def payable_account(issuer_region: str, provider_org_id: UUID) -> Account:
    data = UserData(provider_org_id=provider_org_id, region=issuer_region)
    account_id = payable_account_id(issuer_region, provider_org_id)
    return _account(account_id, AccountCode.PROVIDER_PAYABLE, data)


def paid_account(issuer_region: str, provider_org_id: UUID) -> Account:
    data = UserData(provider_org_id=provider_org_id, region=issuer_region)
    account_id = paid_account_id(issuer_region, provider_org_id)
    return _account(account_id, AccountCode.PROVIDER_PAID, data)


def provider_accounts(issuer_region: str, provider_org_id: UUID) -> tuple[Account, Account]:
    """Both settlement accounts, created together the first time a provider is reserved."""
    return payable_account(issuer_region, provider_org_id), paid_account(
        issuer_region, provider_org_id
    )
