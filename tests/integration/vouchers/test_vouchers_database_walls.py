"""The database itself refuses what no code path may do: SQL written around the service
(as a buggy use case would) cannot overdraw, double-post, or make the books disagree."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from services.vouchers.domain import layout
from services.vouchers.domain import movements as move
from services.vouchers.repository.ledger import INSERT_TRANSFER, transfer_values
from tests.support.vouchers.world import VouchersWorld


@pytest.fixture(scope="module")
async def books(world: VouchersWorld) -> AsyncIterator[dict[str, Any]]:
    firm = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    deal = await world.sign(lab, "BJ", firm, "HE", tech_amount_fen=100_000)
    async with world.client() as client:
        program = await world.open_program(client, "HE", max_share_bp=5_000,
                                           cap_per_enterprise_fen=150_000)
        voucher = await world.issue(client, program, firm, 100_000)
        reservation = (await world.reserve(client, voucher, deal, 20_000)).json()
    yield {"firm": firm, "lab": lab, "deal": deal, "program": program, "voucher": voucher,
           "reservation": reservation,
           "ref": move.VoucherRef(uuid.UUID(voucher["id"]), uuid.UUID(program["id"]), "HE")}


async def refused(world: VouchersWorld, sql: str, *args: Any) -> asyncpg.PostgresError:
    """Run `sql` in a transaction that is rolled back whatever happens; its error."""
    conn = await asyncpg.connect(world.database_url)
    try:
        async with conn.transaction():
            try:
                await conn.execute(sql, *args)
            except asyncpg.PostgresError as exc:
                return exc
            raise AssertionError(f"the database accepted: {sql}")
    finally:
        await conn.close()


async def reserve_behind_the_service(world: VouchersWorld, books: dict, deal_id: uuid.UUID,
                                     amount: int) -> asyncpg.PostgresError:
    """A hold and its reservation written by plain SQL, rolled back: the database's error."""
    reservation = move.ReservationRef(uuid.uuid4(), deal_id, books["lab"])
    hold = move.reservation_hold(books["ref"], reservation, amount, 600)
    conn = await asyncpg.connect(world.database_url)
    try:
        async with conn.transaction():
            created = await conn.fetchval(INSERT_TRANSFER, *transfer_values(hold))
            try:
                await conn.execute(
                    "INSERT INTO reservations (id, voucher_id, program_id, enterprise_org_id, "
                    "deal_id, provider_org_id, provider_region, issuer_region, amount_fen, "
                    "hold_transfer_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, 'BJ', 'HE',"
                    " $7, $8, $9)", reservation.reservation_id, books["ref"].voucher_id,
                    books["ref"].program_id, books["firm"], deal_id, books["lab"], amount,
                    hold.id, created + timedelta(seconds=600))
            except asyncpg.PostgresError as exc:
                raise _Rollback(exc) from exc
            raise AssertionError("the database accepted the reservation")
    except _Rollback as rolled_back:
        return rolled_back.error
    finally:
        await conn.close()


def hold_of(books: dict[str, Any]) -> Any:
    reservation = books["reservation"]
    ref = move.ReservationRef(uuid.UUID(reservation["id"]), books["deal"].deal_id,
                              books["lab"])
    return move.reservation_hold(books["ref"], ref, reservation["amount_fen"], 1)


async def test_balances_change_only_by_transfers(world: VouchersWorld, books: dict) -> None:
    account = layout.voucher_account_id(books["ref"].voucher_id)
    exc = await refused(world, "UPDATE ledger_accounts SET credits_posted = credits_posted + "
                        "1000000 WHERE id = $1", account)
    assert exc.sqlstate == "LD002"
    for sql in ("UPDATE ledger_transfers SET amount = amount + 1 WHERE voucher_id = $1",
                "DELETE FROM ledger_transfers WHERE voucher_id = $1"):
        assert (await refused(world, sql, books["ref"].voucher_id)).sqlstate == "LD002"
    assert (await refused(world, "DELETE FROM ledger_accounts WHERE id = $1", account)
            ).sqlstate == "LD002"
    assert (await refused(world, "UPDATE programs SET budget_fen = 1 WHERE id = $1",
                          books["ref"].program_id)).sqlstate == "LD002"


async def test_no_overdraft_whatever_the_sql(world: VouchersWorld, books: dict) -> None:
    # The voucher holds 100,000 with 20,000 reserved: 80,001 more cannot leave it.
    spend = move.voucher_expiry(books["ref"], 80_001, uuid.uuid4())
    exc = await refused(world, INSERT_TRANSFER, *transfer_values(spend))
    assert (exc.sqlstate, exc.message) == ("LD001", "exceeds_credits")
    exc = await refused(world, "INSERT INTO ledger_accounts (id, code, flags, "
                        "debits_posted) VALUES ($1, 30, 2, 5)", uuid.uuid4())
    assert exc.sqlstate == "LD001" and exc.message == "balances_must_be_zero"


async def test_a_hold_is_resolved_once(world: VouchersWorld, books: dict) -> None:
    hold = hold_of(books)
    post, void = move.redemption(hold, 1_000), move.release(hold)
    conn = await asyncpg.connect(world.database_url)
    try:
        async with conn.transaction():
            await conn.execute(INSERT_TRANSFER, *transfer_values(void))
            with pytest.raises(asyncpg.UniqueViolationError) as second:
                await conn.execute(INSERT_TRANSFER, *transfer_values(post))
            assert second.value.constraint_name == "ledger_transfers_resolved_once"
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await conn.close()


async def test_a_reservation_leaves_pending_only_with_its_ledger_transfer(
        world: VouchersWorld, books: dict) -> None:
    reservation = uuid.UUID(books["reservation"]["id"])
    exc = await refused(world, "UPDATE reservations SET status = 'redeemed', "
                        "redeemed_fen = 20000, resolved_at = now() WHERE id = $1", reservation)
    assert exc.sqlstate == "VC002"
    exc = await refused(world, "UPDATE reservations SET amount_fen = 1 WHERE id = $1",
                        reservation)
    assert exc.sqlstate == "VC002"
    assert (await refused(world, "DELETE FROM reservations WHERE id = $1", reservation)
            ).sqlstate == "VC002"


async def test_a_reservation_needs_its_hold_and_a_live_deal(world: VouchersWorld,
                                                            books: dict) -> None:
    ended = await world.sign(books["lab"], "BJ", books["firm"], "HE")
    await world.terminate(ended)
    exc = await reserve_behind_the_service(world, books, ended.deal_id, 1_000)
    assert (exc.sqlstate, exc.message) == ("VC001", "deal_not_signed")
    columns = ("INSERT INTO reservations (id, voucher_id, program_id, enterprise_org_id, "
               "deal_id, provider_org_id, provider_region, issuer_region, amount_fen, "
               "hold_transfer_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, 'BJ', 'HE', $7, "
               "$8, $9)")
    issue_id = layout.ledger_id("voucher-issue", books["ref"].voucher_id)
    exc = await refused(world, columns, uuid.uuid4(), books["ref"].voucher_id,
                        books["ref"].program_id, books["firm"], books["deal"].deal_id,
                        books["lab"], 5_000, issue_id, datetime.now(UTC) + timedelta(days=1))
    assert exc.sqlstate == "VC002"  # an issue transfer is not a hold


async def test_the_share_of_a_contract_is_a_check(world: VouchersWorld, books: dict) -> None:
    # max share 50% of 100,000 = 50,000; 20,000 are held: a 30,001 hold breaks the CHECK,
    # whichever code wrote it.
    exc = await reserve_behind_the_service(world, books, books["deal"].deal_id, 30_001)
    assert isinstance(exc, asyncpg.CheckViolationError)
    assert exc.constraint_name == "deal_shares_within_max"


async def test_the_enterprise_cap_is_a_check(world: VouchersWorld, books: dict) -> None:
    # The cap is 150,000 and 100,000 were issued: a voucher of 50,001 breaks the CHECK.
    voucher = move.VoucherRef(uuid.uuid4(), books["ref"].program_id, "HE")
    account = layout.voucher_account(voucher.voucher_id, voucher.program_id, "HE")
    issue = move.voucher_issue(voucher, 50_001)
    conn = await asyncpg.connect(world.database_url)
    try:
        async with conn.transaction():
            await conn.execute("INSERT INTO ledger_accounts (id, code, flags, program_id, "
                               "voucher_id, region) VALUES ($1, 30, 2, $2, $3, 'HE')",
                               account.id, voucher.program_id, voucher.voucher_id)
            await conn.execute(INSERT_TRANSFER, *transfer_values(issue))
            with pytest.raises(asyncpg.CheckViolationError) as exc:
                await conn.execute(
                    "INSERT INTO vouchers (id, program_id, enterprise_org_id, issuer_region, "
                    "amount_fen, account_id, issue_transfer_id) VALUES ($1, $2, $3, 'HE', "
                    "50001, $4, $5)", voucher.voucher_id, voucher.program_id, books["firm"],
                    account.id, issue.id)
            assert exc.value.constraint_name == "enterprise_allowances_within_cap"
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await conn.close()


class _Rollback(Exception):
    """Raised to leave a transaction without committing what the test wrote."""

    def __init__(self, error: asyncpg.PostgresError | None = None) -> None:
        super().__init__(error)
        self.error = error
