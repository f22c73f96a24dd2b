"""programs, vouchers, reservations, the deals replica, and the walls around them

The ledger (0002) keeps money from being overdrawn or double-posted. These tables keep the
market's own rules in the database too: an enterprise never receives more than its cap, a
program never pays more than its share of a contract, a reservation is resolved once and
only together with the ledger transfer that resolves it.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = [
    # Replica of deals.events: what a reservation and a redemption need to know of a deal.
    """
    CREATE TABLE deals (
        id               uuid        PRIMARY KEY,
        status           text        NOT NULL,
        contract_type    text,
        total_fen        bigint,
        tech_amount_fen  bigint,
        seller_org_id    uuid        NOT NULL,
        buyer_org_id     uuid        NOT NULL,
        seller_region    text        NOT NULL,
        buyer_region     text        NOT NULL,
        registration_no  text,
        replicated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT deals_known_status CHECK (
            status IN ('signed', 'expert_review', 'registered', 'completed', 'terminated')),
        CONSTRAINT deals_tech_amount CHECK (tech_amount_fen IS NULL OR tech_amount_fen >= 0)
    )
    """,
    """
    CREATE TABLE programs (
        id                          uuid        PRIMARY KEY,
        issuer_region               text        NOT NULL,
        name                        text        NOT NULL,
        year                        integer     NOT NULL,
        budget_fen                  bigint      NOT NULL,
        max_share_bp                integer     NOT NULL,
        cap_per_enterprise_fen      bigint      NOT NULL,
        eligible_contract_types     text[]      NOT NULL,
        recognized_regions          text[]      NOT NULL,
        provider_catalog            uuid[],
        use_by                      timestamptz NOT NULL,
        redeem_by                   timestamptz NOT NULL,
        reservation_timeout_seconds integer     NOT NULL,
        budget_account_id           uuid        NOT NULL,
        version                     integer     NOT NULL DEFAULT 1,
        created_at                  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT programs_budget_positive CHECK (budget_fen > 0),
        CONSTRAINT programs_share_in_range CHECK (max_share_bp BETWEEN 1 AND 10000),
        CONSTRAINT programs_cap_within_budget CHECK (
            cap_per_enterprise_fen > 0 AND cap_per_enterprise_fen <= budget_fen),
        CONSTRAINT programs_some_contract_type CHECK (cardinality(eligible_contract_types) > 0),
        CONSTRAINT programs_some_region CHECK (cardinality(recognized_regions) > 0),
        CONSTRAINT programs_use_by_first CHECK (use_by <= redeem_by),
        CONSTRAINT programs_timeout_positive CHECK (reservation_timeout_seconds > 0)
    )
    """,
    "CREATE INDEX programs_by_region ON programs (issuer_region, created_at, id)",
    # GET /programs/{id}/transfers pages newest first without sorting the whole program.
    "CREATE INDEX ledger_transfers_by_program_time ON ledger_transfers "
    "(program_id, created_at, id)",
    """
    CREATE TABLE vouchers (
        id                 uuid        PRIMARY KEY,
        program_id         uuid        NOT NULL REFERENCES programs (id),
        enterprise_org_id  uuid        NOT NULL,
        issuer_region      text        NOT NULL,
        amount_fen         bigint      NOT NULL,
        account_id         uuid        NOT NULL UNIQUE,
        issue_transfer_id  uuid        NOT NULL UNIQUE REFERENCES ledger_transfers (id),
        expired_at         timestamptz,
        version            integer     NOT NULL DEFAULT 1,
        created_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT vouchers_amount_positive CHECK (amount_fen > 0),
        -- what reservations reference, so a reservation names its voucher's own program
        -- and enterprise
        CONSTRAINT vouchers_owner UNIQUE (id, program_id, enterprise_org_id)
    )
    """,
    "CREATE INDEX vouchers_by_enterprise ON vouchers (enterprise_org_id, created_at, id)",
    "CREATE INDEX vouchers_by_region ON vouchers (issuer_region, created_at, id)",
    "CREATE INDEX vouchers_unexpired ON vouchers (program_id) WHERE expired_at IS NULL",
    """
    CREATE TABLE enterprise_allowances (
        program_id         uuid   NOT NULL REFERENCES programs (id),
        enterprise_org_id  uuid   NOT NULL,
        cap_fen            bigint NOT NULL,
        issued_fen         bigint NOT NULL,
        PRIMARY KEY (program_id, enterprise_org_id),
        CONSTRAINT enterprise_allowances_within_cap CHECK (
            issued_fen > 0 AND issued_fen <= cap_fen)
    )
    """,
    """
    CREATE TABLE reservations (
        id                 uuid        PRIMARY KEY,
        voucher_id         uuid        NOT NULL,
        program_id         uuid        NOT NULL,
        enterprise_org_id  uuid        NOT NULL,
        deal_id            uuid        NOT NULL,
        provider_org_id    uuid        NOT NULL,
        provider_region    text        NOT NULL,
        issuer_region      text        NOT NULL,
        amount_fen         bigint      NOT NULL,
        status             text        NOT NULL DEFAULT 'pending',
        redeemed_fen       bigint      NOT NULL DEFAULT 0,
        release_reason     text,
        hold_transfer_id   uuid        NOT NULL UNIQUE REFERENCES ledger_transfers (id),
        expires_at         timestamptz NOT NULL,
        created_at         timestamptz NOT NULL DEFAULT now(),
        resolved_at        timestamptz,
        version            integer     NOT NULL DEFAULT 1,
        FOREIGN KEY (voucher_id, program_id, enterprise_org_id)
            REFERENCES vouchers (id, program_id, enterprise_org_id),
        CONSTRAINT reservations_amount_positive CHECK (amount_fen > 0),
        CONSTRAINT reservations_known_status CHECK (
            status IN ('pending', 'redeemed', 'released')),
        CONSTRAINT reservations_redeemed_amount CHECK (
            (status = 'redeemed' AND redeemed_fen BETWEEN 1 AND amount_fen)
            OR (status <> 'redeemed' AND redeemed_fen = 0)),
        CONSTRAINT reservations_release_reason CHECK (
            (status = 'released') = (release_reason IS NOT NULL)),
        CONSTRAINT reservations_resolved_at CHECK ((status = 'pending') = (resolved_at IS NULL))
    )
    """,
    "CREATE INDEX reservations_due ON reservations (expires_at) WHERE status = 'pending'",
    "CREATE INDEX reservations_pending_by_deal ON reservations (deal_id) WHERE status = 'pending'",
    "CREATE INDEX reservations_by_voucher ON reservations (voucher_id, created_at)",
    "CREATE INDEX reservations_by_provider ON reservations (provider_org_id)",
    """
    CREATE TABLE deal_shares (
        program_id     uuid   NOT NULL REFERENCES programs (id),
        deal_id        uuid   NOT NULL,
        max_fen        bigint NOT NULL,
        committed_fen  bigint NOT NULL,
        PRIMARY KEY (program_id, deal_id),
        CONSTRAINT deal_shares_within_max CHECK (committed_fen >= 0 AND committed_fen <= max_fen)
    )
    """,
]

# Refusals of the market's walls use SQLSTATE VC001 with a reason code as the message, like
# the ledger's LD001; VC002 marks an impossible change (a bug, never a user error).
FUNCTIONS = [
    """
    CREATE FUNCTION vouchers_refuse(code text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING ERRCODE = 'VC001', MESSAGE = code;
    END $$
    """,
    """
    CREATE FUNCTION vouchers_impossible(what text) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION USING ERRCODE = 'VC002', MESSAGE = what;
    END $$
    """,
    # A voucher exists only with the ledger transfer that funded it, and what one enterprise
    # received from a program is counted where a CHECK can see it.
    """
    CREATE FUNCTION vouchers_on_issue() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        issue ledger_transfers;
    BEGIN
        SELECT * INTO issue FROM ledger_transfers WHERE id = NEW.issue_transfer_id;
        IF NOT FOUND OR issue.code <> 2 OR issue.flags <> 0 OR issue.amount <> NEW.amount_fen
           OR issue.credit_account_id <> NEW.account_id
           OR issue.voucher_id IS DISTINCT FROM NEW.id THEN
            PERFORM vouchers_impossible('a voucher must match its issue transfer');
        END IF;
        INSERT INTO enterprise_allowances AS a (program_id, enterprise_org_id, cap_fen,
                                                issued_fen)
        SELECT NEW.program_id, NEW.enterprise_org_id, p.cap_per_enterprise_fen, NEW.amount_fen
          FROM programs p WHERE p.id = NEW.program_id
        ON CONFLICT (program_id, enterprise_org_id)
        DO UPDATE SET issued_fen = a.issued_fen + EXCLUDED.issued_fen;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION vouchers_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            PERFORM vouchers_impossible('vouchers are never deleted');
        END IF;
        IF (NEW.id, NEW.program_id, NEW.enterprise_org_id, NEW.issuer_region, NEW.amount_fen,
            NEW.account_id, NEW.issue_transfer_id, NEW.created_at)
           IS DISTINCT FROM (OLD.id, OLD.program_id, OLD.enterprise_org_id, OLD.issuer_region,
            OLD.amount_fen, OLD.account_id, OLD.issue_transfer_id, OLD.created_at)
           OR OLD.expired_at IS NOT NULL OR NEW.expired_at IS NULL THEN
            PERFORM vouchers_impossible('a voucher changes only once, when it expires');
        END IF;
        RETURN NEW;
    END $$
    """,
    # The deal a reservation is for must be reservable and between the right parties, its
    # hold must be in the ledger as described, and the program's share of the contract is
    # counted per deal under a CHECK: no code path can make a program pay more than
    # max_share_bp of a contract's technology amount.
    """
    CREATE FUNCTION reservations_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        deal deals;
        hold ledger_transfers;
        share bigint;
    BEGIN
        SELECT * INTO hold FROM ledger_transfers WHERE id = NEW.hold_transfer_id;
        IF NOT FOUND OR hold.flags <> 2 OR hold.code <> 3 OR hold.amount <> NEW.amount_fen
           OR hold.voucher_id IS DISTINCT FROM NEW.voucher_id
           OR hold.reservation_id IS DISTINCT FROM NEW.id
           OR NEW.expires_at <> hold.created_at + make_interval(secs => hold.timeout) THEN
            PERFORM vouchers_impossible('a reservation must match its pending transfer');
        END IF;
        SELECT * INTO deal FROM deals WHERE id = NEW.deal_id;
        IF NOT FOUND OR deal.status NOT IN ('signed', 'expert_review', 'registered') THEN
            PERFORM vouchers_refuse('deal_not_signed');
        END IF;
        IF deal.seller_org_id <> NEW.provider_org_id OR deal.buyer_org_id <> NEW.enterprise_org_id
        THEN
            PERFORM vouchers_refuse('not_the_deal_parties');
        END IF;
        SELECT div(p.max_share_bp::numeric * coalesce(deal.tech_amount_fen, 0), 10000)::bigint
          INTO share FROM programs p WHERE p.id = NEW.program_id;
        INSERT INTO deal_shares AS s (program_id, deal_id, max_fen, committed_fen)
        VALUES (NEW.program_id, NEW.deal_id, share, NEW.amount_fen)
        ON CONFLICT (program_id, deal_id)
        DO UPDATE SET max_fen = EXCLUDED.max_fen,
                      committed_fen = s.committed_fen + EXCLUDED.committed_fen;
        RETURN NULL;
    END $$
    """,
    # A reservation leaves `pending` once, and only after the ledger resolved its hold the
    # same way: its state can never disagree with the money.
    """
    CREATE FUNCTION reservations_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        resolution ledger_transfers;
    BEGIN
        IF TG_OP = 'DELETE' THEN
            PERFORM vouchers_impossible('reservations are never deleted');
        END IF;
        IF OLD.status <> 'pending' THEN
            PERFORM vouchers_refuse('reservation_not_pending');
        END IF;
        IF (NEW.id, NEW.voucher_id, NEW.program_id, NEW.enterprise_org_id, NEW.deal_id,
            NEW.provider_org_id, NEW.provider_region, NEW.issuer_region, NEW.amount_fen,
            NEW.hold_transfer_id, NEW.expires_at, NEW.created_at)
           IS DISTINCT FROM (OLD.id, OLD.voucher_id, OLD.program_id, OLD.enterprise_org_id,
            OLD.deal_id, OLD.provider_org_id, OLD.provider_region, OLD.issuer_region,
            OLD.amount_fen, OLD.hold_transfer_id, OLD.expires_at, OLD.created_at) THEN
            PERFORM vouchers_impossible('a reservation keeps its terms');
        END IF;
        SELECT * INTO resolution FROM ledger_transfers
         WHERE pending_id = OLD.hold_transfer_id AND flags IN (4, 8);
        IF NOT FOUND OR NEW.status = 'pending'
           OR (NEW.status = 'redeemed' AND (resolution.flags <> 4
               OR resolution.amount <> NEW.redeemed_fen))
           OR (NEW.status = 'released' AND resolution.flags <> 8) THEN
            PERFORM vouchers_impossible('a reservation is resolved only with its hold');
        END IF;
        RETURN NEW;
    END $$
    """,
    """
    CREATE FUNCTION reservations_on_resolve() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        -- What was held and not redeemed no longer counts against the contract's share.
        UPDATE deal_shares SET committed_fen = committed_fen - (OLD.amount_fen - NEW.redeemed_fen)
         WHERE program_id = NEW.program_id AND deal_id = NEW.deal_id;
        RETURN NULL;
    END $$
    """,
]

TRIGGERS = [
    "CREATE TRIGGER programs_immutable BEFORE UPDATE OR DELETE ON programs "
    "FOR EACH ROW EXECUTE FUNCTION ledger_immutable()",
    "CREATE TRIGGER vouchers_issue AFTER INSERT ON vouchers "
    "FOR EACH ROW EXECUTE FUNCTION vouchers_on_issue()",
    "CREATE TRIGGER vouchers_guard BEFORE UPDATE OR DELETE ON vouchers "
    "FOR EACH ROW EXECUTE FUNCTION vouchers_guard()",
    "CREATE TRIGGER reservations_insert AFTER INSERT ON reservations "
    "FOR EACH ROW EXECUTE FUNCTION reservations_on_insert()",
    "CREATE TRIGGER reservations_guard BEFORE UPDATE OR DELETE ON reservations "
    "FOR EACH ROW EXECUTE FUNCTION reservations_guard()",
    "CREATE TRIGGER reservations_resolve AFTER UPDATE ON reservations "
    "FOR EACH ROW EXECUTE FUNCTION reservations_on_resolve()",
]


def upgrade() -> None:
    for statement in TABLES + FUNCTIONS + TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX ledger_transfers_by_program_time")
    for table in ("deal_shares", "reservations", "enterprise_allowances", "vouchers",
                  "programs", "deals"):
        op.execute(f"DROP TABLE {table}")
    for function in ("reservations_on_resolve()", "reservations_guard()",
                     "reservations_on_insert()", "vouchers_guard()", "vouchers_on_issue()",
                     "vouchers_impossible(text)", "vouchers_refuse(text)"):
        op.execute(f"DROP FUNCTION {function}")
