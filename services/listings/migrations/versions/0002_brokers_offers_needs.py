"""brokers, offers and needs with their text index

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

STATUSES = "('draft','published','in_deal','transacted','fulfilled','withdrawn','expired')"
OPEN = "status IN ('draft','published')"


def upgrade() -> None:
    _brokers()
    _offers()
    _needs()


def _brokers() -> None:
    op.create_table(
        "brokers",
        sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("certificate_no", sa.String(40), nullable=False, unique=True),
        sa.Column("region", sa.String(4), sa.ForeignKey("regions.short_code"), nullable=False),
        sa.Column("agency_org_id", pg.UUID(as_uuid=True), sa.ForeignKey("organizations.id"),
                  nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("version > 0", name="ck_brokers_version"),
    )
    op.create_index("ix_brokers_created", "brokers", ["created_at", "id"])
    op.create_index("ix_brokers_agency", "brokers", ["agency_org_id"])
    op.create_table(
        "broker_clients",
        sa.Column("broker_id", pg.UUID(as_uuid=True),
                  sa.ForeignKey("brokers.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("org_id", pg.UUID(as_uuid=True), sa.ForeignKey("organizations.id"),
                  primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
    )
    op.create_index("ix_broker_clients_org", "broker_clients", ["org_id"])


def _listing_columns() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("industry", sa.String(40), nullable=False),
        sa.Column("keywords", pg.ARRAY(sa.Text), nullable=False),
        sa.Column("modes", pg.ARRAY(sa.String(20)), nullable=False),
        sa.Column("region", sa.String(4), sa.ForeignKey("regions.short_code"), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("deal_id", pg.UUID(as_uuid=True)),
        sa.Column("search_terms", pg.TSVECTOR, nullable=False),
        sa.Column("created_by", sa.Text, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True)),
    ]


def _listing_indexes(table: str, owner: str, until: str) -> None:
    # Lists are newest first: every filter has an index that ends in the page order.
    op.create_index(f"ix_{table}_created", table, ["created_at", "id"])
    for column in ("status", "industry", "region", owner):
        op.create_index(f"ix_{table}_{column}_created", table, [column, "created_at", "id"])
    op.create_index(f"ix_{table}_search", table, ["search_terms"], postgresql_using="gin")
    # Frequent terms (电池, 技术) match thousands of listings: with finer statistics the
    # planner walks the newest-first index instead of sorting every match.
    op.execute(f"ALTER TABLE {table} ALTER COLUMN search_terms SET STATISTICS 1000")
    # The expiry job only ever looks at open listings.
    op.create_index(f"ix_{table}_open_{until}", table, [until], postgresql_where=sa.text(OPEN))
    op.create_index(f"ix_{table}_deal", table, ["deal_id"],
                    postgresql_where=sa.text("deal_id IS NOT NULL"))


def _offers() -> None:
    op.create_table(
        "offers",
        *_listing_columns(),
        sa.Column("owner_org_id", pg.UUID(as_uuid=True), sa.ForeignKey("organizations.id"),
                  nullable=False),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("trl", sa.SmallInteger, nullable=False),
        sa.Column("ip", pg.JSONB, nullable=False),
        sa.Column("asking_price_fen", sa.BigInteger),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.CheckConstraint(f"status IN {STATUSES} AND status <> 'fulfilled'",
                           name="ck_offers_status"),
        sa.CheckConstraint("kind IN ('technology','service')", name="ck_offers_kind"),
        sa.CheckConstraint("trl BETWEEN 1 AND 9", name="ck_offers_trl"),
        sa.CheckConstraint("asking_price_fen >= 0", name="ck_offers_price"),
        sa.CheckConstraint("version > 0", name="ck_offers_version"),
    )
    _listing_indexes("offers", "owner_org_id", "valid_until")


def _needs() -> None:
    op.create_table(
        "needs",
        *_listing_columns(),
        sa.Column("buyer_org_id", pg.UUID(as_uuid=True), sa.ForeignKey("organizations.id"),
                  nullable=False),
        sa.Column("min_trl", sa.SmallInteger),
        sa.Column("budget_min_fen", sa.BigInteger),
        sa.Column("budget_max_fen", sa.BigInteger),
        sa.Column("cross_region_ok", sa.Boolean, nullable=False),
        sa.Column("deadline", sa.Date, nullable=False),
        sa.CheckConstraint(f"status IN {STATUSES} AND status <> 'transacted'",
                           name="ck_needs_status"),
        sa.CheckConstraint("min_trl BETWEEN 1 AND 9", name="ck_needs_min_trl"),
        sa.CheckConstraint("budget_min_fen >= 0 AND budget_max_fen >= 0",
                           name="ck_needs_budget_sign"),
        sa.CheckConstraint("budget_min_fen <= budget_max_fen", name="ck_needs_budget_range"),
        sa.CheckConstraint("version > 0", name="ck_needs_version"),
    )
    _listing_indexes("needs", "buyer_org_id", "deadline")


def downgrade() -> None:
    op.drop_table("needs")
    op.drop_table("offers")
    op.drop_table("broker_clients")
    op.drop_table("brokers")
