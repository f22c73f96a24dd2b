"""Pure domain of the vouchers service: the double-entry ledger (a reference model of the
PostgreSQL ledger in docs/ledger.md), the market's account layout and movements, the
balances the API shows, and the rules for programs, vouchers, reservations and
redemptions. Standard library only: no database, web or Kafka code here."""

from services.vouchers.domain.balances import (
    ProgramBalances,
    Settlement,
    VoucherBalances,
    program_balances,
    settlement,
    spendable,
    total,
    voucher_balances,
)
from services.vouchers.domain.errors import FieldError, RuleViolation, StateConflict, raise_if_any
from services.vouchers.domain.invariants import LedgerSnapshot, Violation, invariants
from services.vouchers.domain.layout import AccountCode, TransferCode
from services.vouchers.domain.ledger import Ledger, PendingState
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
    "Ledger",
    "LedgerSnapshot",
    "PendingState",
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
    "Violation",
    "VoucherBalances",
    "VoucherRef",
    "invariants",
    "program_balances",
    "raise_if_any",
    "settlement",
    "spendable",
    "total",
    "voucher_balances",
]
