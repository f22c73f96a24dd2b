"""Tables of the vouchers database: the schema's readable declaration, used by Alembic.

Nothing at runtime queries through these declarations: the repository runs SQL on a
`shared.db.Db`. The ledger's and the market's rules are not all visible here: the
triggers and functions of migrations 0002 and 0003 (docs/ledger.md) apply every transfer
to its accounts, refuse what the ledger forbids and keep `deal_shares` and
`enterprise_allowances` counted. The infrastructure tables (outbox, inbox,
idempotency_keys, regions) are shared.tables'.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID

metadata = MetaData()


def _created_at() -> Column[object]:
    return Column("created_at", DateTime(timezone=True), nullable=False,
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
    Column("replicated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

# The ledger (migration 0002, docs/ledger.md): accounts hold counters that only the ledger
# trigger changes; flags 2 = debits must not exceed credits, 4 = credits must not exceed
# debits.
ledger_accounts = Table(
    "ledger_accounts", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("code", SmallInteger, nullable=False),
    Column("flags", Integer, nullable=False, server_default=text("0")),
    Column("debits_pending", BigInteger, nullable=False, server_default=text("0")),
    Column("debits_posted", BigInteger, nullable=False, server_default=text("0")),
    Column("credits_pending", BigInteger, nullable=False, server_default=text("0")),
    Column("credits_posted", BigInteger, nullable=False, server_default=text("0")),
    Column("program_id", UUID(as_uuid=True)),
    Column("voucher_id", UUID(as_uuid=True)),
    Column("region", Text),
    Column("provider_org_id", UUID(as_uuid=True)),
    _created_at(),
    CheckConstraint("id <> '00000000-0000-0000-0000-000000000000'",
                    name="ledger_accounts_id_not_zero"),
    CheckConstraint("flags IN (0, 2, 4)", name="ledger_accounts_known_flags"),
    CheckConstraint("debits_pending >= 0 AND debits_posted >= 0 AND credits_pending >= 0 "
                    "AND credits_posted >= 0", name="ledger_accounts_not_negative"),
    CheckConstraint("flags & 2 = 0 OR debits_pending + debits_posted <= credits_posted",
                    name="ledger_accounts_debits_within_credits"),
    CheckConstraint("flags & 4 = 0 OR credits_pending + credits_posted <= debits_posted",
                    name="ledger_accounts_credits_within_debits"),
    Index("ledger_accounts_settlements", "region", "code", "provider_org_id"),
)

# Transfers: flags 0 = single-phase, 2 = pending, 4 = post pending, 8 = void pending. Their
# accounts carry no foreign keys (migration 0004): the ledger trigger refuses unknown ones.
ledger_transfers = Table(
    "ledger_transfers", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("debit_account_id", UUID(as_uuid=True), nullable=False),
    Column("credit_account_id", UUID(as_uuid=True), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("pending_id", UUID(as_uuid=True), ForeignKey("ledger_transfers.id")),
    Column("flags", Integer, nullable=False, server_default=text("0")),
    Column("timeout", Integer, nullable=False, server_default=text("0")),
    Column("code", SmallInteger, nullable=False),
    Column("program_id", UUID(as_uuid=True)),
    Column("voucher_id", UUID(as_uuid=True)),
    Column("reservation_id", UUID(as_uuid=True)),
    Column("deal_id", UUID(as_uuid=True)),
    Column("provider_org_id", UUID(as_uuid=True)),
    Column("region", Text),
    _created_at(),
    CheckConstraint("id <> '00000000-0000-0000-0000-000000000000'",
                    name="ledger_transfers_id_not_zero"),
    CheckConstraint("amount > 0", name="ledger_transfers_amount_positive"),
    CheckConstraint("debit_account_id <> credit_account_id",
                    name="ledger_transfers_accounts_differ"),
    CheckConstraint("flags IN (0, 2, 4, 8)", name="ledger_transfers_one_kind"),
    CheckConstraint("timeout >= 0 AND (timeout = 0 OR flags = 2)",
                    name="ledger_transfers_timeout"),
    CheckConstraint("(pending_id IS NOT NULL) = (flags IN (4, 8)) "
                    "AND pending_id IS DISTINCT FROM id", name="ledger_transfers_pending_id"),
    # A pending transfer is resolved (posted or voided) at most once.
    Index("ledger_transfers_resolved_once", "pending_id", unique=True,
          postgresql_where=text("flags IN (4, 8)")),
    Index("ledger_transfers_by_program", "program_id", "code", "created_at"),
    Index("ledger_transfers_by_program_time", "program_id", "created_at", "id"),
    Index("ledger_transfers_by_voucher", "voucher_id", "code"),
    Index("ledger_transfers_by_debit", "debit_account_id"),
    Index("ledger_transfers_by_credit", "credit_account_id"),
)

# Replica of deals.events: what a reservation and a redemption need to know of a deal.
deals = Table(
    "deals", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("status", Text, nullable=False),
    Column("contract_type", Text),
    Column("total_fen", BigInteger),
    Column("tech_amount_fen", BigInteger),
    Column("seller_org_id", UUID(as_uuid=True), nullable=False),
    Column("buyer_org_id", UUID(as_uuid=True), nullable=False),
    Column("seller_region", Text, nullable=False),
    Column("buyer_region", Text, nullable=False),
    Column("registration_no", Text),
    Column("replicated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    CheckConstraint("status IN ('signed', 'expert_review', 'registered', 'completed', "
                    "'terminated')", name="deals_known_status"),
    CheckConstraint("tech_amount_fen IS NULL OR tech_amount_fen >= 0",
                    name="deals_tech_amount"),
)

programs = Table(
    "programs", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("issuer_region", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("year", Integer, nullable=False),
    Column("budget_fen", BigInteger, nullable=False),
    Column("max_share_bp", Integer, nullable=False),
    Column("cap_per_enterprise_fen", BigInteger, nullable=False),
    Column("eligible_contract_types", ARRAY(Text), nullable=False),
    Column("recognized_regions", ARRAY(Text), nullable=False),
    Column("provider_catalog", ARRAY(UUID(as_uuid=True))),
    Column("use_by", DateTime(timezone=True), nullable=False),
    Column("redeem_by", DateTime(timezone=True), nullable=False),
    Column("reservation_timeout_seconds", Integer, nullable=False),
    Column("budget_account_id", UUID(as_uuid=True), nullable=False),
    Column("version", Integer, nullable=False, server_default=text("1")),
    _created_at(),
    CheckConstraint("budget_fen > 0", name="programs_budget_positive"),
    CheckConstraint("max_share_bp BETWEEN 1 AND 10000", name="programs_share_in_range"),
    CheckConstraint("cap_per_enterprise_fen > 0 AND cap_per_enterprise_fen <= budget_fen",
                    name="programs_cap_within_budget"),
    CheckConstraint("cardinality(eligible_contract_types) > 0",
                    name="programs_some_contract_type"),
    CheckConstraint("cardinality(recognized_regions) > 0", name="programs_some_region"),
    CheckConstraint("use_by <= redeem_by", name="programs_use_by_first"),
    CheckConstraint("reservation_timeout_seconds > 0", name="programs_timeout_positive"),
    Index("programs_by_region", "issuer_region", "created_at", "id"),
)

vouchers = Table(
    "vouchers", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("program_id", UUID(as_uuid=True), ForeignKey("programs.id"), nullable=False),
    Column("enterprise_org_id", UUID(as_uuid=True), nullable=False),
    Column("issuer_region", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("account_id", UUID(as_uuid=True), nullable=False, unique=True),
    Column("issue_transfer_id", UUID(as_uuid=True), ForeignKey("ledger_transfers.id"),
           nullable=False, unique=True),
    Column("expired_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default=text("1")),
    _created_at(),
    CheckConstraint("amount_fen > 0", name="vouchers_amount_positive"),
    # What reservations reference, so a reservation names its voucher's own program and
    # enterprise.
    UniqueConstraint("id", "program_id", "enterprise_org_id", name="vouchers_owner"),
    Index("vouchers_by_enterprise", "enterprise_org_id", "created_at", "id"),
    Index("vouchers_by_region", "issuer_region", "created_at", "id"),
    Index("vouchers_unexpired", "program_id", postgresql_where=text("expired_at IS NULL")),
)

# What each enterprise received from each program (kept by a trigger on vouchers).
enterprise_allowances = Table(
    "enterprise_allowances", metadata,
    Column("program_id", UUID(as_uuid=True), ForeignKey("programs.id"), primary_key=True),
    Column("enterprise_org_id", UUID(as_uuid=True), primary_key=True),
    Column("cap_fen", BigInteger, nullable=False),
    Column("issued_fen", BigInteger, nullable=False),
    CheckConstraint("issued_fen > 0 AND issued_fen <= cap_fen",
                    name="enterprise_allowances_within_cap"),
)

reservations = Table(
    "reservations", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("voucher_id", UUID(as_uuid=True), nullable=False),
    Column("program_id", UUID(as_uuid=True), nullable=False),
    Column("enterprise_org_id", UUID(as_uuid=True), nullable=False),
    Column("deal_id", UUID(as_uuid=True), nullable=False),
    Column("provider_org_id", UUID(as_uuid=True), nullable=False),
    Column("provider_region", Text, nullable=False),
    Column("issuer_region", Text, nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("status", Text, nullable=False, server_default=text("'pending'")),
    Column("redeemed_fen", BigInteger, nullable=False, server_default=text("0")),
    Column("release_reason", Text),
    Column("hold_transfer_id", UUID(as_uuid=True), ForeignKey("ledger_transfers.id"),
           nullable=False, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    _created_at(),
    Column("resolved_at", DateTime(timezone=True)),
    Column("version", Integer, nullable=False, server_default=text("1")),
    ForeignKeyConstraint(["voucher_id", "program_id", "enterprise_org_id"],
                         ["vouchers.id", "vouchers.program_id", "vouchers.enterprise_org_id"]),
    CheckConstraint("amount_fen > 0", name="reservations_amount_positive"),
    CheckConstraint("status IN ('pending', 'redeemed', 'released')",
                    name="reservations_known_status"),
    CheckConstraint("(status = 'redeemed' AND redeemed_fen BETWEEN 1 AND amount_fen) "
                    "OR (status <> 'redeemed' AND redeemed_fen = 0)",
                    name="reservations_redeemed_amount"),
    CheckConstraint("(status = 'released') = (release_reason IS NOT NULL)",
                    name="reservations_release_reason"),
    CheckConstraint("(status = 'pending') = (resolved_at IS NULL)",
                    name="reservations_resolved_at"),
    Index("reservations_due", "expires_at", postgresql_where=text("status = 'pending'")),
    Index("reservations_pending_by_deal", "deal_id", postgresql_where=text("status = 'pending'")),
    Index("reservations_by_voucher", "voucher_id", "created_at"),
    Index("reservations_by_provider", "provider_org_id"),
)

# What a program pays towards one contract: held + redeemed (kept by a trigger on
# reservations), never above its share.
deal_shares = Table(
    "deal_shares", metadata,
    Column("program_id", UUID(as_uuid=True), ForeignKey("programs.id"), primary_key=True),
    Column("deal_id", UUID(as_uuid=True), primary_key=True),
    Column("max_fen", BigInteger, nullable=False),
    Column("committed_fen", BigInteger, nullable=False),
    CheckConstraint("committed_fen >= 0 AND committed_fen <= max_fen",
                    name="deal_shares_within_max"),
)
