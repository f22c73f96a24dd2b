"""The PostgreSQL ledger (docs/ledger.md §7–§8): creating accounts and transfers, reading them.

`create_transfer` answers what the in-memory reference `Ledger` answers (the same `Result`
codes): the database applies the transfer in its trigger, and its refusals are mapped back
to result codes here. Use cases give up on any refusal, so by default a transfer runs
without a SAVEPOINT (a savepoint costs more CPU than the insert itself): a refusal then
leaves the transaction unusable, which is fine for a caller that fails the request. With
`keep_transaction=True` the insert runs in a SAVEPOINT, a refusal leaves the transaction
usable and every code is told apart (the reference-model test drives it that way).

Every function takes the unit of work's `Db` (shared.db) and runs its statements as
asyncpg prepared statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import asyncpg

from services.vouchers.domain import (
    Account,
    AccountFlags,
    Result,
    ResultCode,
    Transfer,
    TransferFlags,
    UserData,
)
from services.vouchers.domain.ledger_model import ACCOUNT_IDEMPOTENCY_FIELDS, compare_with_stored
from services.vouchers.domain.transfer_checks import account_shape_error, transfer_shape_error
from services.vouchers.repository.refusals import (
    CHECK_VIOLATION,
    FOREIGN_KEY_VIOLATION,
    LEDGER_REFUSAL,
    UNIQUE_VIOLATION,
    Refusal,
    refusal_of,
)
from shared.db import Db

TRANSFER_COLUMNS = (
    "id, debit_account_id, credit_account_id, amount, pending_id, flags, timeout, code, "
    "program_id, voucher_id, reservation_id, deal_id, provider_org_id, region, created_at")
ACCOUNT_COLUMNS = (
    "id, code, flags, debits_pending, debits_posted, credits_pending, credits_posted, "
    "program_id, voucher_id, region, provider_org_id")

# The INSERT_TRANSFER parameters, in order, with their column types.
PARAMETER_TYPES = {
    "id": "uuid", "debit_account_id": "uuid", "credit_account_id": "uuid", "amount": "bigint",
    "pending_id": "uuid", "flags": "integer", "timeout": "integer", "code": "smallint",
    "program_id": "uuid", "voucher_id": "uuid", "reservation_id": "uuid", "deal_id": "uuid",
    "provider_org_id": "uuid", "region": "text"}
PARAMETERS = tuple(PARAMETER_TYPES)
INSERT_TRANSFER = f"""
    INSERT INTO ledger_transfers ({", ".join(PARAMETERS)})
    VALUES ({", ".join(f"${i}" for i in range(1, len(PARAMETERS) + 1))})
    ON CONFLICT (id) DO NOTHING
    RETURNING created_at"""

# Which fields of a stored transfer differ from a repeated one (docs/ledger.md §8); takes
# the INSERT_TRANSFER parameters ($1 = id ... $14 = region, `transfer_values`).
DIFFERING_FIELDS = """
    SELECT array_remove(ARRAY[
        CASE WHEN debit_account_id IS DISTINCT FROM $2 THEN 'debit_account_id' END,
        CASE WHEN credit_account_id IS DISTINCT FROM $3 THEN 'credit_account_id' END,
        CASE WHEN amount IS DISTINCT FROM $4 THEN 'amount' END,
        CASE WHEN pending_id IS DISTINCT FROM $5 THEN 'pending_id' END,
        CASE WHEN flags IS DISTINCT FROM $6 THEN 'flags' END,
        CASE WHEN timeout IS DISTINCT FROM $7 THEN 'timeout' END,
        CASE WHEN code IS DISTINCT FROM $8 THEN 'code' END,
        CASE WHEN (program_id, voucher_id, reservation_id, deal_id, provider_org_id, region)
             IS DISTINCT FROM ($9::uuid, $10::uuid, $11::uuid, $12::uuid, $13::uuid, $14::text)
             THEN 'user_data' END
    ], NULL) AS differing
    FROM ledger_transfers WHERE id = $1"""

INSERT_ACCOUNTS = """
    INSERT INTO ledger_accounts (id, code, flags, program_id, voucher_id, region,
        provider_org_id)
    SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::integer[], $4::uuid[], $5::uuid[],
        $6::text[], $7::uuid[])
    ON CONFLICT (id) DO NOTHING
    RETURNING id"""

SELECT_ACCOUNTS = f"SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = ANY($1::uuid[])"

# Both (or all) accounts in id order, whatever their roles: the global lock order that keeps
# any two ledger transactions from waiting for each other in a cycle (docs/ledger.md §7).
# Through a function with the owner's rights: the service's role may not UPDATE accounts,
# which `SELECT … FOR NO KEY UPDATE` requires (shared/db_roles.py).
LOCK_ACCOUNTS = f"SELECT {ACCOUNT_COLUMNS} FROM ledger_lock_accounts($1::uuid[])"

TRANSFER_EXISTS = "SELECT true FROM ledger_transfers WHERE id = $1"
RESOLUTION_OF = "SELECT flags FROM ledger_transfers WHERE pending_id = $1 AND flags IN (4, 8)"
SELECT_TRANSFER = f"SELECT {TRANSFER_COLUMNS} FROM ledger_transfers WHERE id = $1"

# Unknown accounts are refused by the ledger trigger itself (migration 0004).
FOREIGN_KEY_CODES = {
    "ledger_transfers_pending_id_fkey": ResultCode.PENDING_TRANSFER_NOT_FOUND,
}
CHECK_CODES = {
    "ledger_transfers_id_not_zero": ResultCode.ID_MUST_NOT_BE_ZERO,
    "ledger_transfers_amount_positive": ResultCode.AMOUNT_MUST_BE_POSITIVE,
    "ledger_transfers_accounts_differ": ResultCode.ACCOUNTS_MUST_BE_DIFFERENT,
    "ledger_transfers_one_kind": ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE,
    "ledger_transfers_timeout": ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
}


def transfer_values(transfer: Transfer) -> list[Any]:
    """The INSERT_TRANSFER parameters ($1 ... $14), in order."""
    params = transfer_params(transfer)
    return [params[p] for p in PARAMETERS]


def transfer_params(transfer: Transfer) -> dict[str, Any]:
    data = transfer.user_data
    return {"id": transfer.id, "debit_account_id": transfer.debit_account_id,
            "credit_account_id": transfer.credit_account_id, "amount": transfer.amount,
            "pending_id": transfer.pending_id, "flags": int(transfer.flags),
            "timeout": transfer.timeout, "code": int(transfer.code),
            "program_id": data.program_id, "voucher_id": data.voucher_id,
            "reservation_id": data.reservation_id, "deal_id": data.deal_id,
            "provider_org_id": data.provider_org_id, "region": data.region}


async def create_transfer(db: Db, transfer: Transfer, *,
                          keep_transaction: bool = False) -> Result:
    """Apply one transfer; the same answer the reference model gives (docs/ledger.md §1)."""
    error = transfer_shape_error(transfer)
    if error is not None:
        return Result(error)
    try:
        if keep_transaction:
            stored = await _in_savepoint(db, INSERT_TRANSFER, transfer_values(transfer))
        else:
            stored = await db.fetchrow(INSERT_TRANSFER, *transfer_values(transfer))
    except asyncpg.PostgresError as exc:
        return await _refused(db, transfer, refusal_of(exc), exc, can_look=keep_transaction)
    if stored is None:  # the id exists: an idempotent repeat, or a clash
        return await _compare_with_stored(db, transfer)
    return Result(ResultCode.OK)


async def _in_savepoint(db: Db, query: str, args: Sequence[Any]) -> asyncpg.Record | None:
    """`query` in a SAVEPOINT, so that a refusal leaves the transaction usable."""
    async with db.atomic():  # nested in the use case's transaction: a savepoint
        return await db.fetchrow(query, *args)


async def stored_transfer_result(db: Db, transfer: Transfer) -> Result:
    """`exists` or `exists_with_different_fields` for a transfer whose id is taken."""
    return await _compare_with_stored(db, transfer)


async def _compare_with_stored(db: Db, transfer: Transfer) -> Result:
    stored = await db.fetchrow(DIFFERING_FIELDS, *transfer_values(transfer))
    if stored is None:
        raise LookupError(f"transfer {transfer.id} is not in the ledger")
    differing = stored["differing"]
    if differing:
        return Result(ResultCode.EXISTS_WITH_DIFFERENT_FIELDS, tuple(differing))
    return Result(ResultCode.EXISTS)


async def _refused(db: Db, transfer: Transfer, refusal: Refusal,
                   exc: asyncpg.PostgresError, can_look: bool) -> Result:
    if refusal.sqlstate == UNIQUE_VIOLATION and refusal.constraint == (
            "ledger_transfers_resolved_once") and can_look:
        # Without the savepoint the transaction is gone and this stays a fault: use cases
        # lock the reservation before resolving it, so for them a race here is a bug.
        return await _already_resolved(db, transfer)
    code = refusal_code(refusal)
    if code is None:
        raise exc  # not an answer but a fault (LD002 = something bypassed the ledger)
    return Result(code)


def refusal_code(refusal: Refusal) -> ResultCode | None:
    """The ledger result code a database refusal stands for, when it stands for one."""
    if refusal.sqlstate == LEDGER_REFUSAL:
        return ResultCode(refusal.message)
    if refusal.sqlstate == FOREIGN_KEY_VIOLATION:
        return FOREIGN_KEY_CODES.get(refusal.constraint or "")
    if refusal.sqlstate == CHECK_VIOLATION:
        return CHECK_CODES.get(refusal.constraint or "")
    return None


async def _already_resolved(db: Db, transfer: Transfer) -> Result:
    # An exact retry racing its original trips this index before ON CONFLICT (id) can see
    # the original: it is then a repeat, not a second resolution.
    if await db.fetchval(TRANSFER_EXISTS, transfer.id):
        return await _compare_with_stored(db, transfer)
    flags = await db.fetchval(RESOLUTION_OF, transfer.pending_id)
    if flags == TransferFlags.POST_PENDING:
        return Result(ResultCode.PENDING_TRANSFER_ALREADY_POSTED)
    return Result(ResultCode.PENDING_TRANSFER_ALREADY_VOIDED)


async def create_accounts(db: Db, accounts: Sequence[Account]) -> list[Result]:
    """Create accounts that do not exist yet (idempotent: ids are derived from their use)."""
    results: dict[uuid.UUID, Result] = {}
    valid = []
    for account in accounts:
        error = account_shape_error(account)
        if error is not None:
            results[account.id] = Result(error)
        else:
            valid.append(account)
    if valid:
        created = {row["id"] for row in await db.fetch(INSERT_ACCOUNTS, *_account_arrays(valid))}
        existing = {a.id for a in valid} - created
        stored = await accounts_by_id(db, existing) if existing else {}
        for account in valid:
            results[account.id] = (
                Result(ResultCode.OK) if account.id in created
                else compare_with_stored(stored[account.id], account, ACCOUNT_IDEMPOTENCY_FIELDS))
    return [results[a.id] for a in accounts]


def _account_arrays(accounts: Sequence[Account]) -> list[list[Any]]:
    """The INSERT_ACCOUNTS parameters ($1 ... $7): one array per column."""
    return [[a.id for a in accounts], [int(a.code) for a in accounts],
            [int(a.flags) for a in accounts], [a.user_data.program_id for a in accounts],
            [a.user_data.voucher_id for a in accounts], [a.user_data.region for a in accounts],
            [a.user_data.provider_org_id for a in accounts]]


async def accounts_by_id(db: Db, ids: Sequence[uuid.UUID] | set[uuid.UUID]
                         ) -> dict[uuid.UUID, Account]:
    rows = await db.fetch(SELECT_ACCOUNTS, list(ids))
    return {row["id"]: account_of(row) for row in rows}


async def lock_accounts(db: Db, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Account]:
    """The accounts as last committed, locked until the transaction ends."""
    rows = await db.fetch(LOCK_ACCOUNTS, sorted(set(ids)))
    return {row["id"]: account_of(row) for row in rows}


async def transfer_by_id(db: Db, transfer_id: uuid.UUID) -> Transfer | None:
    row = await db.fetchrow(SELECT_TRANSFER, transfer_id)
    return transfer_of(row) if row else None


def account_of(row: Any) -> Account:
    return Account(
        id=row["id"], code=row["code"], flags=AccountFlags(row["flags"]),
        debits_pending=row["debits_pending"], debits_posted=row["debits_posted"],
        credits_pending=row["credits_pending"], credits_posted=row["credits_posted"],
        user_data=UserData(program_id=row["program_id"], voucher_id=row["voucher_id"],
                           region=row["region"], provider_org_id=row["provider_org_id"]))


def transfer_of(row: Any) -> Transfer:
    return Transfer(
        id=row["id"], debit_account_id=row["debit_account_id"],
        credit_account_id=row["credit_account_id"], amount=row["amount"], code=row["code"],
        flags=TransferFlags(row["flags"]), pending_id=row["pending_id"], timeout=row["timeout"],
        user_data=UserData(program_id=row["program_id"], voucher_id=row["voucher_id"],
                           reservation_id=row["reservation_id"], deal_id=row["deal_id"],
                           provider_org_id=row["provider_org_id"], region=row["region"]),
        timestamp=row["created_at"])
