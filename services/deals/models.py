"""Tables of the deals database.

Replicas (organisations, offers, needs, brokers) are kept from `listings.events` and, when
they lag, from the listings HTTP API. Deals, their contracts and registrations are ours.
These tables are declared for the migrations (Alembic) and as the schema's readable
description, as migrations 0001 and 0002 create them; nothing at runtime queries through
them: every query is SQL in repository/. The infrastructure tables (outbox, inbox,
idempotency_keys, regions) are shared.tables'.
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
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from shared.tables import regions

metadata = MetaData()

STATUSES = "'negotiating','signed','expert_review','registered','completed','terminated'"


def _replicated_at() -> Column[object]:
    return Column("replicated_at", DateTime(timezone=True), nullable=False,
                  server_default=func.now())


# Replica of listings' organisations, kept from `organization.registered` events.
organizations = Table(
    "organizations", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("credit_code", String(18), nullable=False),
    Column("region", String(4), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("small_firm", Boolean, nullable=False),
    _replicated_at(),
)


def _listing_facts(table: str, owner: str) -> Table:
    """What deals keeps of an offer or a need: whether it is open, and where."""
    return Table(
        table, metadata,
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column(owner, UUID(as_uuid=True), nullable=False),
        Column("title", Text, nullable=False),
        Column("region", String(4), nullable=False),
        Column("status", String(20), nullable=False),
        Column("version", Integer, nullable=False),
        _replicated_at(),
    )


offers = _listing_facts("offers", "owner_org_id")
needs = _listing_facts("needs", "buyer_org_id")

# Replica of broker profiles: a broker acts only for the organisations it represents.
brokers = Table(
    "brokers", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("name", Text, nullable=False),
    Column("certificate_no", Text, nullable=False),
    Column("region", String(4), nullable=False),
    Column("agency_org_id", UUID(as_uuid=True), nullable=False),
    Column("represents", ARRAY(UUID(as_uuid=True)), nullable=False),
    Column("version", Integer, nullable=False),
    _replicated_at(),
)

deals = Table(
    "deals", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("offer_id", UUID(as_uuid=True)),
    Column("need_id", UUID(as_uuid=True)),
    Column("seller_org_id", UUID(as_uuid=True), nullable=False),
    Column("buyer_org_id", UUID(as_uuid=True), nullable=False),
    # The parties' regions when the deal was opened: registration and statistics use them.
    Column("seller_region", String(4), ForeignKey(regions.c.short_code), nullable=False),
    Column("buyer_region", String(4), ForeignKey(regions.c.short_code), nullable=False),
    Column("broker_id", UUID(as_uuid=True), nullable=False),
    Column("title", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    # The last refusal (reason codes) or review decision, kept so the broker can amend.
    Column("rejection", JSONB),
    Column("review", JSONB),
    Column("termination", JSONB),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(f"status IN ({STATUSES})", name="ck_deals_status"),
    CheckConstraint("seller_org_id <> buyer_org_id", name="ck_deals_two_parties"),
    Index("ix_deals_created", "created_at", "id"),
    Index("ix_deals_seller", "seller_org_id"),
    Index("ix_deals_buyer", "buyer_org_id"),
)

# The signed contract of a deal; an amended contract replaces it until registration.
contracts = Table(
    "contracts", metadata,
    Column("deal_id", UUID(as_uuid=True), ForeignKey("deals.id"), primary_key=True),
    Column("type", String(40), nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date, nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("deductions", JSONB, nullable=False),
    Column("ip", JSONB, nullable=False),
    Column("document_sha256", Text),
    Column("subject", Text, nullable=False),
    Column("acceptance_criteria", Text),
    Column("tech_amount_fen", BigInteger, nullable=False),
    Column("attached_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("total_fen >= 0", name="ck_contracts_total"),
)

# A registered technology contract: the certificate's facts, frozen when registered.
registrations = Table(
    "registrations", metadata,
    Column("registration_no", String(16), primary_key=True),
    Column("deal_id", UUID(as_uuid=True), ForeignKey("deals.id"), nullable=False, unique=True),
    Column("region_code", String(6), ForeignKey(regions.c.code), nullable=False),
    Column("year", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("registered_on", Date, nullable=False),
    Column("contract_type", String(40), nullable=False),
    Column("signed_on", Date, nullable=False),
    Column("total_fen", BigInteger, nullable=False),
    Column("tech_amount_fen", BigInteger, nullable=False),
    # A written contract is registered once, whichever deal submits it.
    Column("document_sha256", String(64), nullable=False, unique=True),
    Column("seller_org_id", UUID(as_uuid=True), nullable=False),
    Column("seller_name", Text, nullable=False),
    Column("seller_region", String(4), nullable=False),
    Column("buyer_org_id", UUID(as_uuid=True), nullable=False),
    Column("buyer_name", Text, nullable=False),
    Column("buyer_region", String(4), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # Printed on the certificate; the public lookup answers only with it (random, never
    # derived from the number).
    Column("verification_code", String(64), nullable=False),
    UniqueConstraint("region_code", "year", "sequence", name="uq_registrations_number"),
    CheckConstraint("tech_amount_fen >= 0 AND tech_amount_fen <= total_fen",
                    name="ck_registrations_amounts"),
    CheckConstraint("registration_no = region_code || lpad(year::text, 4, '0') "
                    "|| lpad(sequence::text, 6, '0')", name="ck_registrations_number"),
    Index("ix_registrations_year", "year"),
)

# The last sequence handed out per registry region and year. Incremented in the registering
# transaction: a rolled-back registration rolls the counter back too, so numbers are
# gap-free and never reused (a SEQUENCE would leave gaps).
registration_counters = Table(
    "registration_counters", metadata,
    Column("region_code", String(6), ForeignKey(regions.c.code), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last_sequence", Integer, nullable=False),
    CheckConstraint("last_sequence BETWEEN 1 AND 999999",
                    name="ck_registration_counters_range"),
)
