"""read model of offers and needs

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NEXT_SEQ = sa.text("nextval('listing_seq')")


def upgrade() -> None:
    op.execute("CREATE SEQUENCE listing_seq")
    op.create_table("offers", *_common(), *_offer_columns())
    op.create_table("needs", *_common(), *_need_columns())
    for table in ("offers", "needs"):
        # The start-up rebuild reads published listings in seq order, page by page.
        op.create_index(f"ix_{table}_published_seq", table, ["seq"],
                        postgresql_where=sa.text("status = 'published'"))


def downgrade() -> None:
    op.drop_table("needs")
    op.drop_table("offers")
    op.execute("DROP SEQUENCE listing_seq")


def _common() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("seq", sa.BigInteger, nullable=False, server_default=NEXT_SEQ),
        sa.Column("title", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("industry", sa.Text),
        sa.Column("keywords", pg.ARRAY(sa.Text)),
        sa.Column("modes", pg.ARRAY(sa.Text)),
        sa.Column("region", sa.Text),
        sa.Column("published_at", sa.DateTime(timezone=True)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
    ]


def _offer_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("owner_org_id", pg.UUID(as_uuid=True)),
        sa.Column("kind", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("trl", sa.SmallInteger),
        sa.Column("asking_price_fen", sa.BigInteger),
        sa.Column("valid_until", sa.Date),
    ]


def _need_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("buyer_org_id", pg.UUID(as_uuid=True)),
        sa.Column("min_trl", sa.SmallInteger),
        sa.Column("budget_min_fen", sa.BigInteger),
        sa.Column("budget_max_fen", sa.BigInteger),
        sa.Column("cross_region_ok", sa.Boolean),
        sa.Column("deadline", sa.Date),
    ]
