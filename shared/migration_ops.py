"""Alembic operations shared by every service's first migration."""

from __future__ import annotations

from alembic import op

from shared.regions import SEED_REGIONS
from shared.tables import infra_metadata, regions

NOTIFY_CHANNEL = "outbox_ready"


def create_infrastructure() -> None:
    bind = op.get_bind()
    infra_metadata.create_all(bind)
    # Statement-level trigger: one NOTIFY per inserting statement, delivered at commit,
    # so the relay wakes within milliseconds of a use case committing its events.
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION notify_outbox() RETURNS trigger AS $$
        BEGIN PERFORM pg_notify('{NOTIFY_CHANNEL}', ''); RETURN NULL; END;
        $$ LANGUAGE plpgsql;
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_notify AFTER INSERT ON outbox "
        "FOR EACH STATEMENT EXECUTE FUNCTION notify_outbox();"
    )
    op.bulk_insert(regions, [r.__dict__ for r in SEED_REGIONS])


def drop_infrastructure() -> None:
    op.execute("DROP TRIGGER IF EXISTS outbox_notify ON outbox")
    op.execute("DROP FUNCTION IF EXISTS notify_outbox()")
    infra_metadata.drop_all(op.get_bind())


def index_idempotency_key_age() -> None:
    """The index the purge job finds expired Idempotency-Keys by (shared.tables declares it,
    so a database whose first migration ran after that has it already)."""
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"],
                    if_not_exists=True)


def drop_idempotency_key_age_index() -> None:
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
