"""replicas of offers, needs and brokers; deals, contracts, registrations

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

UUID = pg.UUID(as_uuid=True)
STATUSES = "'negotiating','signed','expert_review','registered','completed','terminated'"


def _replicated_at() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("replicated_at", sa.DateTime(timezone=True), nullable=False,
                     server_default=sa.func.now())


def upgrade() -> None:
    _replicas()
    _deals()
    _contracts()
    _registrations()


def _replicas() -> None:
    for table, owner in (("offers", "owner_org_id"), ("needs", "buyer_org_id")):
        op.create_table(
            table,
            sa.Column("id", UUID, primary_key=True),
            sa.Column(owner, UUID, nullable=False),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("region", sa.String(4), nullable=False),
            sa.Column("status", sa.String(20), nullable=False),
            sa.Column("version", sa.Integer, nullable=False),
            _replicated_at(),
        )
    op.create_table(
        "brokers",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("certificate_no", sa.Text, nullable=False),
        sa.Column("region", sa.String(4), nullable=False),
        sa.Column("agency_org_id", UUID, nullable=False),
        sa.Column("represents", pg.ARRAY(UUID), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        _replicated_at(),
    )


def _deals() -> None:
    op.create_table(
        "deals",
        sa.Column("id", UUID, primary_key=True),
        sa.Column("offer_id", UUID),
        sa.Column("need_id", UUID),
        sa.Column("seller_org_id", UUID, nullable=False),
        sa.Column("buyer_org_id", UUID, nullable=False),
        sa.Column("seller_region", sa.String(4), sa.ForeignKey("regions.short_code"),
                  nullable=False),
        sa.Column("buyer_region", sa.String(4), sa.ForeignKey("regions.short_code"),
                  nullable=False),
        sa.Column("broker_id", UUID, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("rejection", pg.JSONB),
        sa.Column("review", pg.JSONB),
        sa.Column("termination", pg.JSONB),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="ck_deals_status"),
        sa.CheckConstraint("seller_org_id <> buyer_org_id", name="ck_deals_two_parties"),
    )
    op.create_index("ix_deals_created", "deals", ["created_at", "id"])
    op.create_index("ix_deals_seller", "deals", ["seller_org_id"])
    op.create_index("ix_deals_buyer", "deals", ["buyer_org_id"])


def _contracts() -> None:
    op.create_table(
        "contracts",
        sa.Column("deal_id", UUID, sa.ForeignKey("deals.id"), primary_key=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("signed_on", sa.Date, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_until", sa.Date, nullable=False),
        sa.Column("total_fen", sa.BigInteger, nullable=False),
        sa.Column("deductions", pg.JSONB, nullable=False),
        sa.Column("ip", pg.JSONB, nullable=False),
        sa.Column("document_sha256", sa.Text),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("acceptance_criteria", sa.Text),
        sa.Column("tech_amount_fen", sa.BigInteger, nullable=False),
        sa.Column("attached_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("total_fen >= 0", name="ck_contracts_total"),
    )


def _registrations() -> None:
    op.create_table(
        "registrations",
        sa.Column("registration_no", sa.String(16), primary_key=True),
        sa.Column("deal_id", UUID, sa.ForeignKey("deals.id"), nullable=False, unique=True),
        sa.Column("region_code", sa.String(6), sa.ForeignKey("regions.code"), nullable=False),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("registered_on", sa.Date, nullable=False),
        sa.Column("contract_type", sa.String(40), nullable=False),
        sa.Column("signed_on", sa.Date, nullable=False),
        sa.Column("total_fen", sa.BigInteger, nullable=False),
        sa.Column("tech_amount_fen", sa.BigInteger, nullable=False),
        # A written contract is registered once, whichever deal submits it.
        sa.Column("document_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("seller_org_id", UUID, nullable=False),
        sa.Column("seller_name", sa.Text, nullable=False),
        sa.Column("seller_region", sa.String(4), nullable=False),
        sa.Column("buyer_org_id", UUID, nullable=False),
        sa.Column("buyer_name", sa.Text, nullable=False),
        sa.Column("buyer_region", sa.String(4), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False,
                  server_default=sa.func.now()),
        sa.UniqueConstraint("region_code", "year", "sequence", name="uq_registrations_number"),
        sa.CheckConstraint("tech_amount_fen >= 0 AND tech_amount_fen <= total_fen",
                           name="ck_registrations_amounts"),
        sa.CheckConstraint("registration_no = region_code || lpad(year::text, 4, '0') "
                           "|| lpad(sequence::text, 6, '0')", name="ck_registrations_number"),
    )
    op.create_index("ix_registrations_year", "registrations", ["year"])
    op.create_table(
        "registration_counters",
        sa.Column("region_code", sa.String(6), sa.ForeignKey("regions.code"), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("last_sequence", sa.Integer, nullable=False),
        sa.CheckConstraint("last_sequence BETWEEN 1 AND 999999",
                           name="ck_registration_counters_range"),
    )


def downgrade() -> None:
    for table in ("registration_counters", "registrations", "contracts", "deals", "brokers",
                  "needs", "offers"):
        op.drop_table(table)
