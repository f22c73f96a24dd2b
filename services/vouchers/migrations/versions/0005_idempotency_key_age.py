"""an index on idempotency_keys (created_at): the purge job finds expired keys by it

Keys expire after IDEMPOTENCY_KEY_TTL_HOURS; shared.transaction.purge_expired_keys deletes
them in batches, oldest first, through this index.

Revision ID: 0005
Revises: 0004
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A database made after shared/tables.py declared the index has it from 0001.
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"],
                    if_not_exists=True)


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
