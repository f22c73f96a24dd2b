"""an index on idempotency_keys (created_at): the purge job finds expired keys by it

Keys expire after IDEMPOTENCY_KEY_TTL_HOURS; shared.transaction.purge_expired_keys deletes
them in batches, oldest first, through this index (shared.migration_ops, the same in every
service).

Revision ID: 0003
Revises: 0002
"""

from shared.migration_ops import drop_idempotency_key_age_index, index_idempotency_key_age

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    index_idempotency_key_age()


def downgrade() -> None:
    drop_idempotency_key_age_index()
