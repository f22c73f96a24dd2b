"""The PostgreSQL ledger answers what the in-memory reference ledger answers (docs/ledger.md
§10), step by step, and the ledger check finds a ledger broken behind its back.

Runs on a scratch database (same server, vouchers migrations) so that raw transfers
between test accounts do not mix with the market's books. The ledger's functions take a
unit of work's `Db`: the reference-model test drives them in a transaction (`Mode.WRITE`,
as most use cases run) and statement by statement (`Mode.STATEMENTS`, as the redemption
runs: the savepoint of `keep_transaction` is then a transaction of its own).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.vouchers.domain import Account, AccountFlags, ResultCode, Transfer, TransferFlags
from services.vouchers.repository import ledger, ledger_check
from shared import migrations
from shared.db import Database, Db, Mode
from shared.settings import plain_url, with_database
from tests.support.vouchers.reference_invariants import LedgerSnapshot, invariants
from tests.support.vouchers.reference_ledger import Ledger
from tests.support.vouchers.world import VouchersWorld

LIMITS = (AccountFlags.NONE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS,
          AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)


@pytest.fixture(scope="module")
async def scratch(world: VouchersWorld) -> AsyncIterator[tuple[str, Database]]:
    name = f"vouchers_ledger_{uuid.uuid4().hex[:10]}"
    server = plain_url(with_database(world.database_url, "postgres"))
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(world.database_url, name)
    await asyncio.to_thread(migrations.upgrade, "vouchers", url)
    database = await Database.open(url, size=2)
    try:
        yield url, database
    finally:
        await database.close()
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


async def apply(database: Database, model: Ledger, transfer: Transfer,
                mode: Mode = Mode.WRITE) -> None:
    async with database.unit(mode) as db:
        now = await db.fetchval("SELECT now()")
        stored = await ledger.create_transfer(db, transfer, keep_transaction=True)
    expected = model.create_transfer(transfer, now)
    assert (stored.code, stored.fields) == (expected.code, expected.fields), transfer


async def snapshot(db: Db, ids: list[uuid.UUID]) -> LedgerSnapshot:
    accounts = await ledger.accounts_by_id(db, ids)
    rows = await db.fetch(f"SELECT {ledger.TRANSFER_COLUMNS} FROM ledger_transfers "
                          "WHERE debit_account_id = ANY($1::uuid[])", ids)
    return LedgerSnapshot(tuple(accounts.values()), tuple(ledger.transfer_of(r) for r in rows))


async def violations(database: Database) -> list[ledger_check.ViolationRow]:
    async with database.unit(Mode.READ) as db:
        return await ledger_check.violations(db)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_postgres_answers_as_the_reference_model(
        scratch: tuple[str, Database], data: st.DataObject) -> None:
    _, database = scratch
    model = Ledger()
    accounts = [Account(id=uuid.uuid4(), code=9, flags=data.draw(st.sampled_from(LIMITS)))
                for _ in range(4)]
    modes = st.sampled_from([Mode.WRITE, Mode.STATEMENTS])
    async with database.unit(data.draw(modes)) as db:
        results = await ledger.create_accounts(db, accounts)
    assert [r.code for r in results] == [ResultCode.OK] * 4
    for account in accounts:
        model.create_account(account)
    ids = [uuid.uuid4() for _ in range(6)]  # few ids: repeats and clashes happen
    holds: list[Transfer] = []
    for _ in range(data.draw(st.integers(10, 40))):
        transfer = data.draw(_transfer(accounts, ids, holds, model))
        await apply(database, model, transfer, data.draw(modes))
        stored = model.transfer(transfer.id)
        if stored is not None and stored.is_pending and stored not in holds:
            holds.append(stored)
    account_ids = [a.id for a in accounts]
    async with database.unit(Mode.READ) as db:
        seen = await ledger.accounts_by_id(db, account_ids)
        loaded = await snapshot(db, account_ids)
    for expected in model.accounts():
        got = seen[expected.id]
        assert (got.debits_pending, got.debits_posted, got.credits_pending,
                got.credits_posted) == (expected.debits_pending, expected.debits_posted,
                                        expected.credits_pending, expected.credits_posted)
    assert invariants(loaded) == []
    assert await violations(database) == []


@st.composite
def _transfer(draw: st.DrawFn, accounts: list[Account], ids: list[uuid.UUID],
              holds: list[Transfer], model: Ledger) -> Transfer:
    kind = draw(st.sampled_from(["single", "pending", "post", "void", "repeat"]
                                if holds else ["single", "pending"]))
    if kind == "repeat" and model.transfers():
        stored = draw(st.sampled_from(model.transfers()))
        return Transfer(id=stored.id, debit_account_id=stored.debit_account_id,
                        credit_account_id=stored.credit_account_id, amount=stored.amount,
                        code=stored.code, flags=stored.flags, pending_id=stored.pending_id,
                        timeout=stored.timeout)
    if kind in ("post", "void") and holds:
        hold = draw(st.sampled_from(holds))
        amount = draw(st.integers(max(1, hold.amount - 3), hold.amount + 3))
        flags = TransferFlags.POST_PENDING if kind == "post" else TransferFlags.VOID_PENDING
        return Transfer(id=draw(st.sampled_from(ids)), debit_account_id=hold.debit_account_id,
                        credit_account_id=hold.credit_account_id, amount=amount, code=9,
                        flags=flags, pending_id=hold.id)
    debit, credit = draw(st.permutations(accounts))[:2]
    return Transfer(id=draw(st.sampled_from(ids)), debit_account_id=debit.id,
                    credit_account_id=credit.id, amount=draw(st.integers(1, 60)), code=9,
                    flags=TransferFlags.PENDING if kind == "pending" else TransferFlags.NONE,
                    timeout=draw(st.sampled_from([0, 3_600])) if kind == "pending" else 0)


async def test_an_expired_hold_can_be_voided_not_posted(
        scratch: tuple[str, Database]) -> None:
    _, database = scratch
    model = Ledger()
    source, holder, sink = (Account(id=uuid.uuid4(), code=9, flags=f) for f in (
        AccountFlags.NONE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS, AccountFlags.NONE))
    async with database.unit() as db:
        await ledger.create_accounts(db, [source, holder, sink])
    for account in (source, holder, sink):
        model.create_account(account)
    await apply(database, model, Transfer(uuid.uuid4(), source.id, holder.id, 100, 9))
    hold = Transfer(uuid.uuid4(), holder.id, sink.id, 60, 9, TransferFlags.PENDING, timeout=1)
    await apply(database, model, hold)
    await asyncio.sleep(1.1)
    late_post = Transfer(uuid.uuid4(), holder.id, sink.id, 60, 9, TransferFlags.POST_PENDING,
                         pending_id=hold.id)
    await apply(database, model, late_post)
    assert model.transfer(late_post.id) is None  # refused: pending_transfer_expired
    await apply(database, model, Transfer(uuid.uuid4(), holder.id, sink.id, 60, 9,
                                              TransferFlags.VOID_PENDING, pending_id=hold.id))


async def test_the_check_finds_a_ledger_broken_behind_its_back(
        scratch: tuple[str, Database]) -> None:
    url, database = scratch
    source, holder = Account(id=uuid.uuid4(), code=9), Account(
        id=uuid.uuid4(), code=9, flags=AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
    async with database.unit() as db:
        await ledger.create_accounts(db, [source, holder])
        await ledger.create_transfer(db, Transfer(uuid.uuid4(), source.id, holder.id, 50, 9))
    conn = await asyncpg.connect(plain_url(url))
    try:  # as a superuser, the way no service role ever could
        await conn.execute("ALTER TABLE ledger_accounts DISABLE TRIGGER USER")
        await conn.execute("UPDATE ledger_accounts SET credits_posted = 75 WHERE id = $1",
                           holder.id)
        await conn.execute("ALTER TABLE ledger_accounts ENABLE TRIGGER USER")
        found = {(v.invariant, v.subject) for v in await violations(database)}
        assert ("debits_equal_credits", "") in found
        assert ("balance_equals_transfers", str(holder.id)) in found
    finally:
        await conn.execute("ALTER TABLE ledger_accounts DISABLE TRIGGER USER")
        await conn.execute("UPDATE ledger_accounts SET credits_posted = 50 WHERE id = $1",
                           holder.id)
        await conn.execute("ALTER TABLE ledger_accounts ENABLE TRIGGER USER")
        await conn.close()


async def test_a_transfer_naming_an_unknown_account_is_refused_by_the_database(
        scratch: tuple[str, Database]) -> None:
    """No foreign key stands behind the accounts (migration 0004): the ledger trigger
    refuses the transfer with the same codes, and nothing is written."""
    _, database = scratch
    known, unknown = Account(id=uuid.uuid4(), code=9), uuid.uuid4()
    async with database.unit() as db:
        await ledger.create_accounts(db, [known])
    attempts = {
        ResultCode.DEBIT_ACCOUNT_NOT_FOUND: Transfer(uuid.uuid4(), unknown, known.id, 5, 9),
        ResultCode.CREDIT_ACCOUNT_NOT_FOUND: Transfer(uuid.uuid4(), known.id, unknown, 5, 9)}
    for code, transfer in attempts.items():
        async with database.unit() as db:
            assert (await ledger.create_transfer(db, transfer)).code == code
    async with database.unit(Mode.READ) as db:
        stored = await db.fetchval("SELECT count(*) FROM ledger_transfers WHERE id = ANY($1)",
                                   [t.id for t in attempts.values()])
        assert stored == 0
        assert (await ledger.accounts_by_id(db, [known.id]))[known.id].debits_posted == 0
