"""Who may do what in the services' databases: the roles, their grants, and the functions
that act with the owner's rights (run by `techmarket migrate`, after Alembic, every time).

Per service, on DATABASE_URL's server (role names are cluster-wide, so they carry
DATABASE_PREFIX like the databases):

- `<prefix><service>_owner` (NOLOGIN) owns the database and every object in it; the
  migrations run as it (`SET ROLE`), and objects an older release made as the
  administrator are handed to it first (`adopt`).
- `<prefix><service>` (LOGIN, SCRAM password `<SERVICE>_DATABASE_PASSWORD`) is what the
  service connects as: `CONNECT` on its own database only (no `TEMP`, no `CREATE`), the
  table privileges of `privileges_of` below, and nothing it could use to alter a table,
  disable a trigger or change a setting reserved to superusers.
- `<prefix>services` (NOLOGIN) groups the login roles (for a server's pg_hba.conf).

The vouchers role may only `SELECT, INSERT` the ledger (docs/ledger.md §7). Balances still
move, because the trigger functions that write what the role may not write run as their
owner (`SECURITY DEFINER`, with a fixed `search_path`), and the accounts a use case must
hold while it decides are locked through `ledger_lock_accounts`, which does the same
(`SELECT … FOR NO KEY UPDATE` itself needs `UPDATE`).

Every statement here is idempotent: a re-run changes nothing, and the grants are
re-applied whole (a table a new migration adds gets the default privileges).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

import asyncpg

from shared.settings import MarketSettings

# What a service may do to each of its tables unless `TABLES` says otherwise: no DELETE,
# no TRUNCATE, no REFERENCES or TRIGGER.
ORDINARY = ("SELECT", "INSERT", "UPDATE")
# Tables every service database carries.
COMMON_TABLES: dict[str, tuple[str, ...]] = {
    "alembic_version": (),  # the migrations' own
    "regions": ("SELECT",),  # reference data the first migration loads
    # Expired keys are purged (shared.transaction.purge_expired_keys).
    "idempotency_keys": ("SELECT", "INSERT", "UPDATE", "DELETE"),
}
# Per service, the tables whose privileges differ from ORDINARY.
TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "listings": {"broker_clients": ("SELECT", "INSERT", "UPDATE", "DELETE")},
    "vouchers": {
        # The ledger is append-only: the only way to move money is to insert a transfer.
        "ledger_accounts": ("SELECT", "INSERT"),
        "ledger_transfers": ("SELECT", "INSERT"),
        "programs": ("SELECT", "INSERT"),
        # Counted by the vouchers' and reservations' triggers only.
        "enterprise_allowances": ("SELECT",),
        "deal_shares": ("SELECT",),
    },
}
# Functions that run with their owner's rights: the triggers writing what the service's
# role may not, and the lock of ledger accounts.
DEFINER_FUNCTIONS: dict[str, tuple[str, ...]] = {
    "vouchers": ("ledger_apply_transfer()", "vouchers_on_issue()",
                 "reservations_on_insert()", "reservations_on_resolve()",
                 "ledger_lock_accounts(uuid[])"),
}
# Functions the service calls itself (the others are triggers).
CALLED_FUNCTIONS: dict[str, tuple[str, ...]] = {"vouchers": ("ledger_lock_accounts(uuid[])",)}
# Made with the vouchers migrations' tables: `SELECT … FOR NO KEY UPDATE` of accounts for a
# role without UPDATE on them, in id order (the ledger's one lock order, docs/ledger.md §7).
LOCK_ACCOUNTS_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_lock_accounts(ids uuid[]) RETURNS SETOF ledger_accounts
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT * FROM ledger_accounts WHERE id = ANY(ids) ORDER BY id FOR NO KEY UPDATE
$$"""
SEARCH_PATH = "public, pg_temp"
SCRAM_ITERATIONS = 4096


@dataclass(frozen=True)
class ServiceRoles:
    service: str
    database: str
    owner: str
    login: str
    group: str
    password: str | None

    @classmethod
    def of(cls, settings: MarketSettings, service: str) -> ServiceRoles:
        prefix = settings.database_prefix
        return cls(service=service, database=settings.database_name(service),
                   owner=f"{settings.database_role(service)}_owner",
                   login=settings.database_role(service), group=f"{prefix}services",
                   password=settings.database_password(service))


def privileges_of(service: str, table: str) -> tuple[str, ...]:
    return COMMON_TABLES.get(table, TABLES.get(service, {}).get(table, ORDINARY))


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def scram_verifier(password: str, iterations: int = SCRAM_ITERATIONS) -> str:
    """What Postgres stores for a SCRAM-SHA-256 password (RFC 5802, RFC 7677): sent in
    place of the password, which then never appears in a statement or a server log."""
    if not password or not all(" " <= c <= "~" for c in password):
        # Other characters would need SASLprep, which Postgres applies and this does not.
        raise ValueError("a database password must be printable ASCII")
    salt = secrets.token_bytes(16)
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    server_key = hmac.digest(salted, b"Server Key", "sha256")

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return (f"SCRAM-SHA-256${iterations}:{b64(salt)}$"
            f"{b64(hashlib.sha256(client_key).digest())}:{b64(server_key)}")


async def ensure_roles(server: asyncpg.Connection, roles: ServiceRoles) -> None:
    """Make (or bring back in line) the group, owner and login roles, and let the
    administrator act as the owner (SET ROLE) unless it is a superuser."""
    await _create_missing(server, {roles.group: "NOLOGIN", roles.owner: "NOLOGIN",
                                   roles.login: "LOGIN"})
    await _refuse_powerful(server, (roles.owner, roles.login, roles.group))
    login, owner = quote_identifier(roles.login), quote_identifier(roles.owner)
    statements = [f"ALTER ROLE {owner} NOLOGIN NOCREATEDB NOCREATEROLE",
                  f"ALTER ROLE {login} LOGIN NOCREATEDB NOCREATEROLE INHERIT",
                  f"GRANT {quote_identifier(roles.group)} TO {login}"]
    if roles.password is not None:
        statements.append(f"ALTER ROLE {login} PASSWORD "
                          f"{quote_literal(scram_verifier(roles.password))}")
    if not await server.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
        statements.append(f"GRANT {owner} TO CURRENT_USER")
    await server.execute(";\n".join(statements))


async def _create_missing(server: asyncpg.Connection, wanted: dict[str, str]) -> None:
    existing = {row["rolname"] for row in await server.fetch(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])", list(wanted))}
    for name, login in wanted.items():
        if name in existing:
            continue
        try:
            await server.execute(f"CREATE ROLE {quote_identifier(name)} {login}")
        except asyncpg.DuplicateObjectError:  # made meanwhile by another migrate
            pass


async def _refuse_powerful(server: asyncpg.Connection, names: tuple[str, ...]) -> None:
    """A role of that name made by someone else with powers no service role may have."""
    powerful = [row["rolname"] for row in await server.fetch(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[]) "
        "AND (rolsuper OR rolreplication OR rolbypassrls)", list(names))]
    if powerful:
        raise RuntimeError(f"role {', '.join(powerful)} is a superuser or may replicate or "
                           "bypass row security: a service's role must not; drop or alter it")


async def own_database(server: asyncpg.Connection, roles: ServiceRoles) -> None:
    """The owner owns the database; only the service's login role may connect to it."""
    database = quote_identifier(roles.database)
    await server.execute(f"""
        ALTER DATABASE {database} OWNER TO {quote_identifier(roles.owner)};
        REVOKE ALL ON DATABASE {database} FROM PUBLIC;
        GRANT CONNECT ON DATABASE {database} TO {quote_identifier(roles.login)}""")


# Objects of the schema not yet owned by the owner, as `<kind> <name>` for ALTER … OWNER:
# relations (but sequences that belong to a column follow their table), functions and
# types, none of them an extension's.
_FOREIGN_OBJECTS = """
SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                      WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END
       || ' ' || c.oid::regclass::text
  FROM pg_class c
 WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
   AND c.relowner <> $1::regrole
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                      AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END
       || ' ' || p.oid::regprocedure::text
  FROM pg_proc p
 WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> $1::regrole
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                      AND d.objid = p.oid AND d.deptype = 'e')
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END || ' ' || t.oid::regtype::text
  FROM pg_type t
 WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r')
   AND t.typowner <> $1::regrole
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass
                      AND d.objid = t.oid AND d.deptype = 'e')"""


async def adopt(database: asyncpg.Connection, roles: ServiceRoles) -> int:
    """Hand the owner what someone else (an older release's migrations, run as the
    administrator) made in the database; how many objects that was."""
    found = [row[0] for row in await database.fetch(_FOREIGN_OBJECTS, roles.owner)]
    if found:
        owner = quote_identifier(roles.owner)
        await database.execute(";\n".join(f"ALTER {what} OWNER TO {owner}" for what in found))
    return len(found)


async def secure_functions(database: asyncpg.Connection, service: str) -> None:
    """Make the service's owner-rights functions (those its migrations made so far) run
    as their owner with a fixed search path, callable by no one but the service; run as
    the owner, in one transaction (a replaced function is never seen without its rights)."""
    async with database.transaction():
        await _secure_functions(database, service)


async def _secure_functions(database: asyncpg.Connection, service: str) -> None:
    if service == "vouchers" and await database.fetchval(
            "SELECT to_regclass('ledger_accounts') IS NOT NULL"):
        await database.execute(LOCK_ACCOUNTS_FUNCTION)
    present = await _present_functions(database, DEFINER_FUNCTIONS.get(service, ()))
    await database.execute(";\n".join(
        f"ALTER FUNCTION {f} SECURITY DEFINER SET search_path = {SEARCH_PATH};\n"
        f"REVOKE EXECUTE ON FUNCTION {f} FROM PUBLIC" for f in present) or "SELECT 1")


async def grant(database: asyncpg.Connection, roles: ServiceRoles) -> None:
    """Give the login role exactly its privileges in its database, in one transaction:
    whatever it had before is revoked first."""
    login, service = quote_identifier(roles.login), roles.service
    tables = [row["relname"] for row in await database.fetch(
        "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace "
        "AND relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY relname")]
    called = await _present_functions(database, CALLED_FUNCTIONS.get(service, ()))
    statements = ["REVOKE CREATE ON SCHEMA public FROM PUBLIC",
                  f"GRANT USAGE ON SCHEMA public TO {login}",
                  f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {login}",
                  f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {login}",
                  f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {login}"]
    for table in tables:
        privileges = privileges_of(service, table)
        if privileges:
            statements.append(f"GRANT {', '.join(privileges)} ON TABLE "
                              f"{quote_identifier(table)} TO {login}")
    statements += [f"GRANT EXECUTE ON FUNCTION {f} TO {login}" for f in called]
    async with database.transaction():
        await database.execute(";\n".join(statements))


async def _present_functions(database: asyncpg.Connection,
                             signatures: tuple[str, ...]) -> list[str]:
    """Those of `signatures` the database has (its migrations may not have made them yet)."""
    if not signatures:
        return []
    rows = await database.fetch("SELECT s FROM unnest($1::text[]) s "
                                "WHERE to_regprocedure(s) IS NOT NULL", list(signatures))
    return [row["s"] for row in rows]
