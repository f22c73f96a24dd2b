"""Pure domain of the vouchers service: the ledger's accounts, transfers and result codes
(the ledger itself is PostgreSQL's, docs/ledger.md), the market's account layout and
movements, the balances the API shows, and the rules for programs, vouchers, reservations
and redemptions. Standard library only: no database, web or Kafka code here."""

from services.vouchers.domain.balances import (
    ProgramBalances,
    Settlement,
    VoucherBalances,
    program_balances,
    settlement,
    spendable,
    voucher_balances,
)
from services.vouchers.domain.errors import FieldError, RuleViolation, StateConflict, raise_if_any
from services.vouchers.domain.layout import AccountCode, TransferCode
from services.vouchers.domain.ledger_model import (
    Account,
    AccountFlags,
    Result,
    ResultCode,
    Transfer,
    TransferFlags,
    UserData,
)
from services.vouchers.domain.movements import ReservationRef, VoucherRef

__all__ = [
    "Account",
    "AccountCode",
    "AccountFlags",
    "FieldError",
    "ProgramBalances",
    "ReservationRef",
    "Result",
    "ResultCode",
    "RuleViolation",
    "Settlement",
    "StateConflict",
    "Transfer",
    "TransferCode",
    "TransferFlags",
    "UserData",
    "VoucherBalances",
    "VoucherRef",
    "program_balances",
    "raise_if_any",
    "settlement",
    "spendable",
    "voucher_balances",
]
