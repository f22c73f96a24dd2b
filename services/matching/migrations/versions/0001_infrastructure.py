"""infrastructure tables

Revision ID: 0001
Revises:
"""

from shared.migration_ops import create_infrastructure, drop_infrastructure

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_infrastructure()


def downgrade() -> None:
    drop_infrastructure()
