"""Every service connects as a login role of its own (shared/db_roles.py): no superuser, no
owner of its tables, a SCRAM password, its own database only, and of the ledger only
`SELECT, INSERT`. The tests' own helpers (`market.db`) connect as the administrator; these
connect as the services do (`Stack.login_url`)."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest

from shared import migrations
from shared.db_roles import ServiceRoles, quote_identifier
from shared.settings import SERVICES, MarketSettings, plain_url, with_credentials, with_database
from tests.support.market import Market, eventually


async def login(market: Market, service: str, database: str | None = None) -> asyncpg.Connection:
    """A connection as `service`'s own role (to its own database unless `database`)."""
    url = market.stack.login_url(service)
    return await asyncpg.connect(plain_url(with_database(url, database) if database else url))


async def client_roles(market: Market, service: str) -> set[str]:
    """The roles of every other connection to the service's database."""
    rows = await market.fetch(service, "SELECT DISTINCT usename FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                              "AND backend_type = 'client backend'")
    return {row["usename"] for row in rows}


async def test_each_service_connects_as_its_own_role(market: Market) -> None:
    settings = market.stack.settings()
    for service in SERVICES:
        role = settings.database_role(service)
        assert await eventually(lambda s=service, r=role: _only(market, s, r)), service


async def _only(market: Market, service: str, role: str) -> bool:
    return await client_roles(market, service) == {role}


async def test_the_roles_have_no_powers_and_own_nothing(market: Market) -> None:
    settings = market.stack.settings()
    for service in SERVICES:
        roles = ServiceRoles.of(settings, service)
        [powers] = await market.fetch(
            service, "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, "
            "rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1", roles.login)
        assert dict(powers) == {"rolsuper": False, "rolcreaterole": False,
                                "rolcreatedb": False, "rolreplication": False,
                                "rolbypassrls": False, "rolcanlogin": True}
        assert not await market.fetchval(
            service, "SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", roles.owner)
        assert await market.fetchval(
            service, "SELECT pg_get_userbyid(datdba) FROM pg_database "
            "WHERE datname = current_database()") == roles.owner
        assert await market.fetchval(
            service, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relowner <> $1::regrole", roles.owner) == 0


def _forbidden(market: Market) -> list[str]:
    owner = ServiceRoles.of(market.stack.settings(), "vouchers").owner
    return [
        "UPDATE ledger_transfers SET amount = amount + 1",
        "DELETE FROM ledger_transfers",
        "TRUNCATE ledger_transfers",
        "UPDATE ledger_accounts SET credits_posted = credits_posted + 1",
        "DELETE FROM ledger_accounts",
        "TRUNCATE ledger_accounts",
        "SELECT id FROM ledger_accounts FOR NO KEY UPDATE",
        "UPDATE enterprise_allowances SET issued_fen = 1",
        "UPDATE deal_shares SET committed_fen = 0",
        "DELETE FROM programs",
        "ALTER TABLE ledger_transfers DISABLE TRIGGER USER",
        "ALTER TABLE ledger_accounts DISABLE TRIGGER ledger_accounts_guard",
        "ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_amount_positive",
        "DROP TABLE ledger_transfers",
        "SET session_replication_role = replica",
        f"SET ROLE {quote_identifier(owner)}",
        "CREATE TABLE shadow_ledger (id int)",
        "CREATE TEMP TABLE shadow_ledger (id int)",
        "CREATE FUNCTION ledger_apply_transfer() RETURNS trigger LANGUAGE sql AS $$ $$",
    ]


async def test_the_vouchers_role_cannot_rewrite_the_books(market: Market) -> None:
    conn = await login(market, "vouchers")
    try:
        for statement in _forbidden(market):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    finally:
        await conn.close()


async def test_the_vouchers_role_moves_money_by_inserting_a_transfer(market: Market) -> None:
    debit, credit, transfer = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    conn = await login(market, "vouchers")
    tx = conn.transaction()
    await tx.start()
    try:
        await conn.execute("INSERT INTO ledger_accounts (id, code) VALUES ($1, 9), ($2, 9)",
                           debit, credit)
        locked = await conn.fetch("SELECT id FROM ledger_lock_accounts($1::uuid[])",
                                  [credit, debit])
        assert [row["id"] for row in locked] == sorted([debit, credit])
        await conn.execute("INSERT INTO ledger_transfers (id, debit_account_id, "
                           "credit_account_id, amount, code) VALUES ($1, $2, $3, 7, 9)",
                           transfer, debit, credit)
        balances = await conn.fetch("SELECT debits_posted, credits_posted FROM "
                                    "ledger_accounts WHERE id = ANY($1::uuid[]) ORDER BY "
                                    "debits_posted DESC", [debit, credit])
        assert [tuple(row) for row in balances] == [(7, 0), (0, 7)]
    finally:
        await tx.rollback()  # the market's books stay as they were
        await conn.close()


async def test_no_role_connects_to_another_service_database(market: Market) -> None:
    settings = market.stack.settings()
    for service in SERVICES:
        for other in SERVICES:
            if other == service:
                continue
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                conn = await login(market, service, settings.database_name(other))
                await conn.close()


async def test_a_role_needs_its_password(market: Market) -> None:
    url = plain_url(market.stack.login_url("deals"))
    role = market.stack.settings().database_role("deals")
    for password in ("not-the-password", None):
        with pytest.raises(asyncpg.InvalidPasswordError):
            conn = await asyncpg.connect(with_credentials(url, role, password))
            await conn.close()


def test_migrate_adopts_an_older_database_and_runs_again(market: Market) -> None:
    """A database whose migrations ran as the administrator (an older release) is handed
    to its owner role; a second migrate changes nothing and the role still works."""
    prefix = f"adopt_{uuid.uuid4().hex[:8]}_"
    settings = MarketSettings.of_environment({**market.stack.admin_env(),
                                              "DATABASE_PREFIX": prefix,
                                              "LISTINGS_DATABASE_PASSWORD": "adopted-pw"})
    roles = ServiceRoles.of(settings, "listings")
    admin_url = settings.admin_database_url("listings")
    try:
        asyncio.run(migrations.create_database(admin_url))
        migrations.upgrade("listings", admin_url)  # as the administrator, no roles
        for _ in range(2):
            migrations.migrate(settings, ("listings",))
        foreign = asyncio.run(_objects_not_owned_by(admin_url, roles.owner))
        assert foreign == []
        asyncio.run(_works_as_its_role(settings.service_database_url("listings")))
    finally:
        asyncio.run(_drop(settings.database_url, roles))


async def _objects_not_owned_by(url: str, owner: str) -> list[str]:
    conn = await asyncpg.connect(plain_url(url))
    try:
        rows = await conn.fetch(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
            "AND relowner <> $1::regrole UNION ALL SELECT proname FROM pg_proc "
            "WHERE pronamespace = 'public'::regnamespace AND proowner <> $1::regrole", owner)
        return [row[0] for row in rows]
    finally:
        await conn.close()


async def _works_as_its_role(url: str) -> None:
    conn = await asyncpg.connect(plain_url(url))
    try:
        assert await conn.fetchval("SELECT count(*) FROM organizations") == 0
        await conn.execute("DELETE FROM broker_clients")  # the one table listings deletes in
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("DELETE FROM organizations")
    finally:
        await conn.close()


async def _drop(server_url: str, roles: ServiceRoles) -> None:
    conn = await asyncpg.connect(plain_url(server_url))
    try:
        await conn.execute(f"DROP DATABASE IF EXISTS {quote_identifier(roles.database)} "
                           "WITH (FORCE)")
        for role in (roles.login, roles.owner, roles.group):
            await conn.execute(f"DROP ROLE IF EXISTS {quote_identifier(role)}")
    finally:
        await conn.close()
