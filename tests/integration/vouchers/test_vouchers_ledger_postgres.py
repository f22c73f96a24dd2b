"""The PostgreSQL ledger answers what the in-memory reference ledger answers (docs/ledger.md
§10), step by step, and the ledger check finds a ledger broken behind its back.

Runs on a scratch database (same server, vouchers migrations) so that raw transfers
between test accounts do not mix with the market's books. The ledger's functions take a
session or a plain asyncpg connection (the hot paths' `Tx.run_sql`): the reference-model
test drives them through both.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from vouchers_world import VouchersWorld

from services.vouchers.domain import (
    Account,
    AccountFlags,
    Ledger,
    LedgerSnapshot,
    ResultCode,
    Transfer,
    TransferFlags,
    invariants,
)
from services.vouchers.repository import ledger, ledger_check
from shared import migrations
from shared.legacy_db import Db, SessionMaker, driver, make_engine, make_sessionmaker, open_pool
from shared.settings import plain_url, with_database
from shared.units import SqlUnit

LIMITS = (AccountFlags.NONE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS,
          AccountFlags.CREDITS_MUST_NOT_EXCEED_DEBITS)


@pytest.fixture(scope="module")
async def scratch(world: VouchersWorld) -> AsyncIterator[tuple[str, SessionMaker]]:
    name = f"vouchers_ledger_{uuid.uuid4().hex[:10]}"
    server = plain_url(with_database(world.database_url, "postgres"))
    admin = await asyncpg.connect(server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = with_database(world.database_url, name)
    await asyncio.to_thread(migrations.upgrade, "vouchers", url)
    engine = make_engine(url, pool_size=2)
    try:
        yield url, make_sessionmaker(engine)
    finally:
        await engine.dispose()
        await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture(scope="module")
async def plain_pool(scratch: tuple[str, SessionMaker]) -> AsyncIterator[asyncpg.Pool]:
    pool = await open_pool(scratch[0], size=2)
    try:
        yield pool
    finally:
        await pool.close()


@asynccontextmanager
async def committed(sessionmaker: SessionMaker, pool: asyncpg.Pool | None = None
                    ) -> AsyncIterator[Db]:
    """A session in its transaction; with `pool`, the plain connection in its transaction
    that `Tx.run_sql` gives a use case. Committed at the end."""
    if pool is None:
        async with sessionmaker() as session, session.begin():
            yield session
        return
    async with SqlUnit(pool) as unit:
        yield unit.handle
        await unit.commit()


async def apply(sessionmaker: SessionMaker, model: Ledger, transfer: Transfer,
                pool: asyncpg.Pool | None = None) -> None:
    async with committed(sessionmaker, pool) as db:
        now = await (await driver(db)).fetchval("SELECT now()")
        stored = await ledger.create_transfer(db, transfer, keep_transaction=True)
    expected = model.create_transfer(transfer, now)
    assert (stored.code, stored.fields) == (expected.code, expected.fields), transfer


async def snapshot(session: AsyncSession, ids: list[uuid.UUID]) -> LedgerSnapshot:
    accounts = await ledger.accounts_by_id(session, ids)
    rows = (await session.execute(text(
        f"SELECT {ledger.TRANSFER_COLUMNS} FROM ledger_transfers "
        "WHERE debit_account_id = ANY(:ids)"), {"ids": ids})).mappings().all()
    return LedgerSnapshot(tuple(accounts.values()), tuple(ledger.transfer_of(r) for r in rows))


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
async def test_postgres_answers_as_the_reference_model(
        scratch: tuple[str, SessionMaker], plain_pool: asyncpg.Pool,
        data: st.DataObject) -> None:
    _, sessionmaker = scratch
    model = Ledger()
    accounts = [Account(id=uuid.uuid4(), code=9, flags=data.draw(st.sampled_from(LIMITS)))
                for _ in range(4)]
    on = st.sampled_from([None, plain_pool])  # a session, or a plain connection
    async with committed(sessionmaker, data.draw(on)) as db:
        results = await ledger.create_accounts(db, accounts)
    assert [r.code for r in results] == [ResultCode.OK] * 4
    for account in accounts:
        model.create_account(account)
    ids = [uuid.uuid4() for _ in range(6)]  # few ids: repeats and clashes happen
    holds: list[Transfer] = []
    for _ in range(data.draw(st.integers(10, 40))):
        transfer = data.draw(_transfer(accounts, ids, holds, model))
        await apply(sessionmaker, model, transfer, data.draw(on))
        stored = model.transfer(transfer.id)
        if stored is not None and stored.is_pending and stored not in holds:
            holds.append(stored)
    account_ids = [a.id for a in accounts]
    async with sessionmaker() as session:
        seen = await ledger.accounts_by_id(session, account_ids)
        loaded = await snapshot(session, account_ids)
    for expected in model.accounts():
        got = seen[expected.id]
        assert (got.debits_pending, got.debits_posted, got.credits_pending,
                got.credits_posted) == (expected.debits_pending, expected.debits_posted,
                                        expected.credits_pending, expected.credits_posted)
    assert invariants(loaded) == []
    async with sessionmaker() as session:
        assert await ledger_check.violations(session) == []


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
        scratch: tuple[str, SessionMaker]) -> None:
    _, sessionmaker = scratch
    model = Ledger()
    source, holder, sink = (Account(id=uuid.uuid4(), code=9, flags=f) for f in (
        AccountFlags.NONE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS, AccountFlags.NONE))
    async with sessionmaker() as session, session.begin():
        await ledger.create_accounts(session, [source, holder, sink])
    for account in (source, holder, sink):
        model.create_account(account)
    await apply(sessionmaker, model, Transfer(uuid.uuid4(), source.id, holder.id, 100, 9))
    hold = Transfer(uuid.uuid4(), holder.id, sink.id, 60, 9, TransferFlags.PENDING, timeout=1)
    await apply(sessionmaker, model, hold)
    await asyncio.sleep(1.1)
    late_post = Transfer(uuid.uuid4(), holder.id, sink.id, 60, 9, TransferFlags.POST_PENDING,
                         pending_id=hold.id)
    await apply(sessionmaker, model, late_post)
    assert model.transfer(late_post.id) is None  # refused: pending_transfer_expired
    await apply(sessionmaker, model, Transfer(uuid.uuid4(), holder.id, sink.id, 60, 9,
                                              TransferFlags.VOID_PENDING, pending_id=hold.id))


async def test_the_check_finds_a_ledger_broken_behind_its_back(
        scratch: tuple[str, SessionMaker]) -> None:
    url, sessionmaker = scratch
    source, holder = Account(id=uuid.uuid4(), code=9), Account(
        id=uuid.uuid4(), code=9, flags=AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS)
    async with sessionmaker() as session, session.begin():
        await ledger.create_accounts(session, [source, holder])
        await ledger.create_transfer(session, Transfer(uuid.uuid4(), source.id, holder.id, 50, 9))
    conn = await asyncpg.connect(plain_url(url))
    try:  # as a superuser, the way no service role ever could
        await conn.execute("ALTER TABLE ledger_accounts DISABLE TRIGGER USER")
        await conn.execute("UPDATE ledger_accounts SET credits_posted = 75 WHERE id = $1",
                           holder.id)
        await conn.execute("ALTER TABLE ledger_accounts ENABLE TRIGGER USER")
        async with sessionmaker() as session:
            found = {(v.invariant, v.subject) for v in await ledger_check.violations(session)}
        assert ("debits_equal_credits", "") in found
        assert ("balance_equals_transfers", str(holder.id)) in found
    finally:
        await conn.execute("ALTER TABLE ledger_accounts DISABLE TRIGGER USER")
        await conn.execute("UPDATE ledger_accounts SET credits_posted = 50 WHERE id = $1",
                           holder.id)
        await conn.execute("ALTER TABLE ledger_accounts ENABLE TRIGGER USER")
        await conn.close()


async def test_a_transfer_naming_an_unknown_account_is_refused_by_the_database(
        scratch: tuple[str, SessionMaker]) -> None:
    """No foreign key stands behind the accounts (migration 0004): the ledger trigger
    refuses the transfer with the same codes, and nothing is written."""
    _, sessionmaker = scratch
    known, unknown = Account(id=uuid.uuid4(), code=9), uuid.uuid4()
    async with sessionmaker() as session, session.begin():
        await ledger.create_accounts(session, [known])
    attempts = {
        ResultCode.DEBIT_ACCOUNT_NOT_FOUND: Transfer(uuid.uuid4(), unknown, known.id, 5, 9),
        ResultCode.CREDIT_ACCOUNT_NOT_FOUND: Transfer(uuid.uuid4(), known.id, unknown, 5, 9)}
    for code, transfer in attempts.items():
        async with sessionmaker() as session, session.begin():
            assert (await ledger.create_transfer(session, transfer)).code == code
    async with sessionmaker() as session:
        stored = await session.execute(
            text("SELECT count(*) FROM ledger_transfers WHERE id = ANY(:ids)"),
            {"ids": [t.id for t in attempts.values()]})
        assert stored.scalar_one() == 0
        assert (await ledger.accounts_by_id(session, [known.id]))[known.id].debits_posted == 0
