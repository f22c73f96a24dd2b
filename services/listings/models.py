"""Tables of the listings database, declared for Alembic and for the reader: the schema at
a glance. Nothing at run time queries through them; every query is SQL in `repository/`.
What migrations 0001 and 0002 create, column for column; besides, 0002 sets finer
statistics on `search_terms` (`ALTER COLUMN ... SET STATISTICS 1000`), which a table
declaration cannot say. The infrastructure tables (outbox, inbox, idempotency_keys,
regions) are shared.tables'.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID

from shared.tables import regions

metadata = MetaData()

STATUSES = "('draft','published','in_deal','transacted','fulfilled','withdrawn','expired')"
OPEN = "status IN ('draft','published')"


def _region() -> Column[object]:
    return Column("region", String(4), ForeignKey(regions.c.short_code), nullable=False)


organizations = Table(
    "organizations", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("credit_code", String(18), nullable=False, unique=True),
    _region(),
    Column("kind", String(20), nullable=False),
    Column("small_firm", Boolean, nullable=False),
    Column("high_tech_cert", JSONB),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Index("ix_organizations_region", "region"),
    Index("ix_organizations_created", "created_at", "id"),
)

# A technology broker (技术经纪人): a person working for a broker agency.
brokers = Table(
    "brokers", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("certificate_no", String(40), nullable=False, unique=True),
    _region(),
    Column("agency_org_id", UUID(as_uuid=True), ForeignKey("organizations.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("version > 0", name="ck_brokers_version"),
    Index("ix_brokers_created", "created_at", "id"),
    Index("ix_brokers_agency", "agency_org_id"),
)

# An organisation a broker represents (`represents` of the broker's profile).
broker_clients = Table(
    "broker_clients", metadata,
    Column("broker_id", UUID(as_uuid=True), ForeignKey("brokers.id", ondelete="CASCADE"),
           primary_key=True),
    Column("org_id", UUID(as_uuid=True), ForeignKey("organizations.id"), primary_key=True),
    Column("position", Integer, nullable=False),  # keeps the order the operator gave
    Index("ix_broker_clients_org", "org_id"),
)


def _listing_columns() -> list[Column[object]]:
    """What offers and needs have in common (the listing lifecycle and the text index)."""
    return [
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("title", Text, nullable=False),
        Column("description", Text, nullable=False),
        Column("industry", String(40), nullable=False),
        Column("keywords", ARRAY(Text), nullable=False),
        Column("modes", ARRAY(String(20)), nullable=False),
        _region(),
        Column("status", String(12), nullable=False),
        Column("deal_id", UUID(as_uuid=True)),
        # Unigrams, bigrams and Latin words of the texts (domain.text_search), GIN-indexed.
        Column("search_terms", TSVECTOR, nullable=False),
        Column("created_by", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True)),
    ]


def _listing_indexes(table: str, owner: str, until: str) -> list[Index]:
    """Lists are newest first: every filter has an index that ends in the page order; the
    expiry job only ever looks at open listings."""
    return [
        Index(f"ix_{table}_created", "created_at", "id"),
        *(Index(f"ix_{table}_{column}_created", column, "created_at", "id")
          for column in ("status", "industry", "region", owner)),
        Index(f"ix_{table}_search", "search_terms", postgresql_using="gin"),
        Index(f"ix_{table}_open_{until}", until, postgresql_where=text(OPEN)),
        Index(f"ix_{table}_deal", "deal_id", postgresql_where=text("deal_id IS NOT NULL")),
    ]


# A technology offer (技术成果) or a service offer of a lab.
offers = Table(
    "offers", metadata,
    *_listing_columns(),
    Column("owner_org_id", UUID(as_uuid=True), ForeignKey("organizations.id"), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("summary", Text, nullable=False),
    Column("trl", SmallInteger, nullable=False),
    Column("ip", JSONB, nullable=False),
    Column("asking_price_fen", BigInteger),
    Column("valid_until", Date, nullable=False),
    CheckConstraint(f"status IN {STATUSES} AND status <> 'fulfilled'", name="ck_offers_status"),
    CheckConstraint("kind IN ('technology','service')", name="ck_offers_kind"),
    CheckConstraint("trl BETWEEN 1 AND 9", name="ck_offers_trl"),
    CheckConstraint("asking_price_fen >= 0", name="ck_offers_price"),
    CheckConstraint("version > 0", name="ck_offers_version"),
    *_listing_indexes("offers", "owner_org_id", "valid_until"),
)

# A technology need (技术需求) of a buyer organisation.
needs = Table(
    "needs", metadata,
    *_listing_columns(),
    Column("buyer_org_id", UUID(as_uuid=True), ForeignKey("organizations.id"), nullable=False),
    Column("min_trl", SmallInteger),
    Column("budget_min_fen", BigInteger),
    Column("budget_max_fen", BigInteger),
    Column("cross_region_ok", Boolean, nullable=False),
    Column("deadline", Date, nullable=False),
    CheckConstraint(f"status IN {STATUSES} AND status <> 'transacted'", name="ck_needs_status"),
    CheckConstraint("min_trl BETWEEN 1 AND 9", name="ck_needs_min_trl"),
    CheckConstraint("budget_min_fen >= 0 AND budget_max_fen >= 0", name="ck_needs_budget_sign"),
    CheckConstraint("budget_min_fen <= budget_max_fen", name="ck_needs_budget_range"),
    CheckConstraint("version > 0", name="ck_needs_version"),
    *_listing_indexes("needs", "buyer_org_id", "deadline"),
)
