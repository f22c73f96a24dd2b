"""registrations carry a random verification code, printed on the certificate

GET /registrations/{no} answers only with it. Registrations made before this revision get
one here: 20 hex digits taken from a SHA-256 of two gen_random_uuid() values (Postgres'
strong random source), as random as the codes the service makes (secrets.token_hex(10)).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("registrations", sa.Column("verification_code", sa.String(64)))
    op.execute("""UPDATE registrations SET verification_code = left(encode(sha256(
        convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex'), 20)""")
    op.alter_column("registrations", "verification_code", nullable=False)


def downgrade() -> None:
    op.drop_column("registrations", "verification_code")
