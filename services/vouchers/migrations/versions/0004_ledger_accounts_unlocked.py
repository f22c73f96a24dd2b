"""transfers refer to their accounts without foreign keys (the ledger trigger guards them)

Every transfer's two foreign keys took a KEY SHARE lock on its accounts, while the ledger
trigger holds the same rows FOR NO KEY UPDATE and changes their counters. A provider's or a
program's account is in many concurrent transfers, so its row carried a multixact of all
of them: PostgreSQL spent a tenth of its CPU reading multixact members (perf, 64 clients),
and reservations on a few hot vouchers ran 23 % slower for it.

Nothing the keys guaranteed is lost. `ledger_apply_transfer` refuses a transfer whose
account does not exist (debit_account_not_found / credit_account_not_found, the codes the
keys' violations were mapped to) and locks both accounts for the rest of the transaction;
accounts cannot be deleted or truncated, nor change their id (0002's triggers); and
GET /ledger/check reports a transfer whose account is missing (balance_equals_transfers).

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_KEYS = {
    "ledger_transfers_debit_account_id_fkey": "debit_account_id",
    "ledger_transfers_credit_account_id_fkey": "credit_account_id",
}


def upgrade() -> None:
    for name in _KEYS:
        op.execute(f"ALTER TABLE ledger_transfers DROP CONSTRAINT {name}")


def downgrade() -> None:
    for name, column in _KEYS.items():
        op.execute(f"ALTER TABLE ledger_transfers ADD CONSTRAINT {name} "
                   f"FOREIGN KEY ({column}) REFERENCES ledger_accounts (id)")
