"""the double-entry ledger: accounts, transfers, the triggers that apply and guard them

The DDL of docs/ledger.md §7, as written there: CHECK constraints for the limits, a unique
index for "resolved at most once", triggers that make transfers the only way to move a
balance and keep transfers immutable.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

LEDGER_DDL = r"""
-- Flag bits are TigerBeetle's, as in services/vouchers/domain/ledger_model.py:
--   accounts:  2 = debits must not exceed credits, 4 = credits must not exceed debits
--   transfers: 2 = pending, 4 = post pending, 8 = void pending
CREATE TABLE ledger_accounts (
    id               uuid        PRIMARY KEY,
    code             smallint    NOT NULL,
    flags            integer     NOT NULL DEFAULT 0,
    debits_pending   bigint      NOT NULL DEFAULT 0,
    debits_posted    bigint      NOT NULL DEFAULT 0,
    credits_pending  bigint      NOT NULL DEFAULT 0,
    credits_posted   bigint      NOT NULL DEFAULT 0,
    program_id       uuid,
    voucher_id       uuid,
    region           text,
    provider_org_id  uuid,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_accounts_id_not_zero
        CHECK (id <> '00000000-0000-0000-0000-000000000000'),
    CONSTRAINT ledger_accounts_known_flags CHECK (flags IN (0, 2, 4)),
    CONSTRAINT ledger_accounts_not_negative CHECK (
        debits_pending >= 0 AND debits_posted >= 0
        AND credits_pending >= 0 AND credits_posted >= 0),
    CONSTRAINT ledger_accounts_debits_within_credits CHECK (
        flags & 2 = 0 OR debits_pending + debits_posted <= credits_posted),
    CONSTRAINT ledger_accounts_credits_within_debits CHECK (
        flags & 4 = 0 OR credits_pending + credits_posted <= debits_posted)
);
CREATE INDEX ledger_accounts_settlements ON ledger_accounts (region, code, provider_org_id);

CREATE TABLE ledger_transfers (
    id                 uuid        PRIMARY KEY,
    debit_account_id   uuid        NOT NULL REFERENCES ledger_accounts (id),
    credit_account_id  uuid        NOT NULL REFERENCES ledger_accounts (id),
    amount             bigint      NOT NULL,
    pending_id         uuid        REFERENCES ledger_transfers (id),
    flags              integer     NOT NULL DEFAULT 0,
    timeout            integer     NOT NULL DEFAULT 0,
    code               smallint    NOT NULL,
    program_id         uuid,
    voucher_id         uuid,
    reservation_id     uuid,
    deal_id            uuid,
    provider_org_id    uuid,
    region             text,
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_transfers_id_not_zero
        CHECK (id <> '00000000-0000-0000-0000-000000000000'),
    CONSTRAINT ledger_transfers_amount_positive CHECK (amount > 0),
    CONSTRAINT ledger_transfers_accounts_differ CHECK (debit_account_id <> credit_account_id),
    CONSTRAINT ledger_transfers_one_kind CHECK (flags IN (0, 2, 4, 8)),
    CONSTRAINT ledger_transfers_timeout CHECK (timeout >= 0 AND (timeout = 0 OR flags = 2)),
    CONSTRAINT ledger_transfers_pending_id CHECK (
        (pending_id IS NOT NULL) = (flags IN (4, 8)) AND pending_id IS DISTINCT FROM id)
);
-- A pending transfer is resolved (posted or voided) at most once.
CREATE UNIQUE INDEX ledger_transfers_resolved_once
    ON ledger_transfers (pending_id) WHERE flags IN (4, 8);
CREATE INDEX ledger_transfers_by_program ON ledger_transfers (program_id, code, created_at);
CREATE INDEX ledger_transfers_by_voucher ON ledger_transfers (voucher_id, code);
CREATE INDEX ledger_transfers_by_debit ON ledger_transfers (debit_account_id);
CREATE INDEX ledger_transfers_by_credit ON ledger_transfers (credit_account_id);

-- Every refusal is raised with SQLSTATE 'LD001' and the ledger result code as the message,
-- the same codes as services.vouchers.domain.ResultCode.
CREATE FUNCTION ledger_refuse(code text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'LD001', MESSAGE = code;
END $$;

-- Transfers are facts: never changed, never removed.
CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'LD002', MESSAGE = TG_TABLE_NAME || ' are immutable';
END $$;
CREATE TRIGGER ledger_transfers_immutable BEFORE UPDATE OR DELETE ON ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_transfers_no_truncate BEFORE TRUNCATE ON ledger_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_immutable();
CREATE TRIGGER ledger_accounts_no_truncate BEFORE TRUNCATE ON ledger_accounts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_immutable();

-- Accounts start empty; afterwards only ledger_apply_transfer (a trigger, hence depth 2
-- for the UPDATEs it runs) may change counters, and nothing may change what an account is.
CREATE FUNCTION ledger_guard_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.debits_pending <> 0 OR NEW.debits_posted <> 0
           OR NEW.credits_pending <> 0 OR NEW.credits_posted <> 0 THEN
            PERFORM ledger_refuse('balances_must_be_zero');
        END IF;
        RETURN NEW;
    END IF;
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION USING ERRCODE = 'LD002',
            MESSAGE = 'account balances change only by inserting a transfer';
    END IF;
    IF (NEW.id, NEW.code, NEW.flags, NEW.program_id, NEW.voucher_id, NEW.region,
        NEW.provider_org_id, NEW.created_at)
       IS DISTINCT FROM (OLD.id, OLD.code, OLD.flags, OLD.program_id, OLD.voucher_id,
        OLD.region, OLD.provider_org_id, OLD.created_at) THEN
        RAISE EXCEPTION USING ERRCODE = 'LD002', MESSAGE = 'accounts are immutable';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_accounts_guard BEFORE INSERT OR UPDATE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_guard_account();

-- The ledger, not the client, says when a transfer happened.
CREATE FUNCTION ledger_stamp_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_at := now();
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_transfers_stamp BEFORE INSERT ON ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION ledger_stamp_transfer();

-- Applies an inserted transfer to its two accounts. AFTER INSERT, so a row that
-- ON CONFLICT (id) DO NOTHING skipped (an idempotent retry) changes nothing.
CREATE FUNCTION ledger_apply_transfer() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    pending ledger_transfers;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger_accounts WHERE id = NEW.debit_account_id) THEN
        PERFORM ledger_refuse('debit_account_not_found');
    END IF;
    IF NOT EXISTS (SELECT 1 FROM ledger_accounts WHERE id = NEW.credit_account_id) THEN
        PERFORM ledger_refuse('credit_account_not_found');
    END IF;
    -- Lock both accounts in id order, whatever their roles, so that two transfers over
    -- the same pair never wait for each other in a cycle. NO KEY UPDATE, not UPDATE:
    -- it does not conflict with the KEY SHARE locks the foreign keys take.
    PERFORM 1 FROM ledger_accounts
        WHERE id = least(NEW.debit_account_id, NEW.credit_account_id) FOR NO KEY UPDATE;
    PERFORM 1 FROM ledger_accounts
        WHERE id = greatest(NEW.debit_account_id, NEW.credit_account_id) FOR NO KEY UPDATE;

    IF NEW.flags = 0 THEN  -- single-phase post
        UPDATE ledger_accounts SET debits_posted = debits_posted + NEW.amount
         WHERE id = NEW.debit_account_id
           AND (flags & 2 = 0 OR debits_pending + debits_posted + NEW.amount <= credits_posted);
        IF NOT FOUND THEN PERFORM ledger_refuse('exceeds_credits'); END IF;
        UPDATE ledger_accounts SET credits_posted = credits_posted + NEW.amount
         WHERE id = NEW.credit_account_id
           AND (flags & 4 = 0 OR credits_pending + credits_posted + NEW.amount <= debits_posted);
        IF NOT FOUND THEN PERFORM ledger_refuse('exceeds_debits'); END IF;
        RETURN NULL;
    END IF;

    IF NEW.flags = 2 THEN  -- create pending (a reservation)
        UPDATE ledger_accounts SET debits_pending = debits_pending + NEW.amount
         WHERE id = NEW.debit_account_id
           AND (flags & 2 = 0 OR debits_pending + debits_posted + NEW.amount <= credits_posted);
        IF NOT FOUND THEN PERFORM ledger_refuse('exceeds_credits'); END IF;
        UPDATE ledger_accounts SET credits_pending = credits_pending + NEW.amount
         WHERE id = NEW.credit_account_id
           AND (flags & 4 = 0 OR credits_pending + credits_posted + NEW.amount <= debits_posted);
        IF NOT FOUND THEN PERFORM ledger_refuse('exceeds_debits'); END IF;
        RETURN NULL;
    END IF;

    -- post (4) or void (8): the unique index already stopped a second resolution.
    SELECT * INTO pending FROM ledger_transfers WHERE id = NEW.pending_id;
    IF NOT FOUND THEN PERFORM ledger_refuse('pending_transfer_not_found'); END IF;
    IF pending.flags <> 2 THEN PERFORM ledger_refuse('pending_transfer_not_pending'); END IF;
    IF (pending.debit_account_id, pending.credit_account_id)
       <> (NEW.debit_account_id, NEW.credit_account_id) THEN
        PERFORM ledger_refuse('pending_transfer_has_different_accounts');
    END IF;

    IF NEW.flags = 4 THEN  -- post pending (a redemption; partial allowed)
        IF NEW.amount > pending.amount THEN
            PERFORM ledger_refuse('exceeds_pending_transfer_amount');
        END IF;
        IF pending.timeout > 0
           AND NEW.created_at >= pending.created_at + make_interval(secs => pending.timeout) THEN
            PERFORM ledger_refuse('pending_transfer_expired');
        END IF;
        UPDATE ledger_accounts
           SET debits_pending = debits_pending - pending.amount,
               debits_posted = debits_posted + NEW.amount
         WHERE id = NEW.debit_account_id;
        UPDATE ledger_accounts
           SET credits_pending = credits_pending - pending.amount,
               credits_posted = credits_posted + NEW.amount
         WHERE id = NEW.credit_account_id;
        RETURN NULL;
    END IF;

    -- void pending (a release): allowed after expiry, it is how a timeout is recorded.
    IF NEW.amount <> pending.amount THEN
        PERFORM ledger_refuse('pending_transfer_has_different_amount');
    END IF;
    UPDATE ledger_accounts SET debits_pending = debits_pending - pending.amount
     WHERE id = NEW.debit_account_id;
    UPDATE ledger_accounts SET credits_pending = credits_pending - pending.amount
     WHERE id = NEW.credit_account_id;
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_transfers_apply AFTER INSERT ON ledger_transfers
    FOR EACH ROW EXECUTE FUNCTION ledger_apply_transfer();
"""


def statements(script: str) -> list[str]:
    """Split a script on the semicolons that end statements (not those inside $$ bodies):
    the asyncpg driver prepares each statement, and a prepared statement holds only one."""
    found, current, quoted = [], [], False
    for line in script.splitlines():
        if line.strip().startswith("--") and not quoted:
            continue
        current.append(line)
        quoted ^= line.count("$$") % 2 == 1
        if not quoted and line.rstrip().endswith(";"):
            found.append("\n".join(current).strip())
            current = []
    if "".join(current).strip():
        found.append("\n".join(current).strip())
    return found


def upgrade() -> None:
    for statement in statements(LEDGER_DDL):
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE ledger_transfers")
    op.execute("DROP TABLE ledger_accounts")
    for function in ("ledger_apply_transfer", "ledger_stamp_transfer", "ledger_guard_account",
                     "ledger_immutable", "ledger_refuse(text)"):
        op.execute(f"DROP FUNCTION {function}" + ("" if "(" in function else "()"))
