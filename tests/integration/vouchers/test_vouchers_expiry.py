"""Time: a reservation past its timeout is released by the sweeper and cannot be redeemed;
at use-by a voucher's unused balance returns to the program (voucher.expired)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from tests.support.vouchers.world import VouchersWorld, operator


async def test_a_timed_out_reservation_is_released_not_redeemed(world: VouchersWorld) -> None:
    org = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    deal = await world.sign(lab, "BJ", org, "HE")
    async with world.client() as client:
        program = await world.open_program(client, "HE", reservation_timeout_seconds=2)
        voucher = await world.issue(client, program, org, 100_000)
        reservation = (await world.reserve(client, voucher, deal, 40_000)).json()
        await world.register(deal)
        await asyncio.sleep(max(0.0, (datetime.fromisoformat(reservation["expires_at"])
                                      - datetime.now(UTC)).total_seconds()))
        late = await world.redeem(client, reservation, 40_000)
        await world.wait_for("SELECT status = 'released' FROM reservations WHERE id = $1",
                             uuid.UUID(reservation["id"]), timeout=15)
        released = await client.get(f"/reservations/{reservation['id']}",
                                    headers=operator("HE"))
        after = await world.voucher(client, voucher["id"])
    # Either the expiry (409 expired) or the sweeper (409 not pending) answers first.
    assert late.status_code == 409
    assert late.json()["errors"][0]["code"] in ("reservation_expired", "reservation_not_pending")
    assert (released.json()["status"], released.json()["release_reason"]) == (
        "released", "timeout")
    assert (after["available_fen"], after["reserved_fen"], after["redeemed_fen"]) == (
        100_000, 0, 0)
    event = await world.fetch("SELECT envelope->'data'->>'reason' AS reason FROM outbox "
                              "WHERE type = 'voucher.released' AND key = $1", voucher["id"])
    assert [e["reason"] for e in event] == ["timeout"]


async def test_unused_balance_returns_to_the_program_at_use_by(world: VouchersWorld) -> None:
    org = await world.organization("TJ")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    deal = await world.sign(lab, "BJ", org, "TJ")
    use_by = datetime.now(UTC) + timedelta(seconds=5)  # time enough to set up, on a busy box
    async with world.client() as client:
        program = await world.open_program(client, "TJ", budget_fen=1_000_000,
                                           cap_per_enterprise_fen=1_000_000,
                                           use_by=use_by.isoformat())
        voucher = await world.issue(client, program, org, 500_000)
        kept = (await world.reserve(client, voucher, deal, 100_000)).json()
        later = (await world.reserve(client, voucher, deal, 50_000)).json()
        await world.register(deal)
        await world.wait_for("SELECT expired_at IS NOT NULL FROM vouchers WHERE id = $1",
                             uuid.UUID(voucher["id"]), timeout=20)
        swept = await world.voucher(client, voucher["id"])
        too_late = await world.reserve(client, voucher, deal, 1)
        # Money held at use-by stays held; once released or partly redeemed it goes back.
        redeemed = await world.redeem(client, kept, 70_000)
        released = await world.release(client, later)
        after = await world.voucher(client, voucher["id"])
        budget = await client.get(f"/programs/{program['id']}", headers=operator("TJ"))
    assert {k: swept[k] for k in ("available_fen", "reserved_fen", "expired_fen")} == {
        "available_fen": 0, "reserved_fen": 150_000, "expired_fen": 350_000}
    assert too_late.status_code == 422
    assert {e["code"] for e in too_late.json()["errors"]} >= {"after_use_by"}
    assert redeemed.status_code == released.status_code == 200
    assert {k: after[k] for k in ("available_fen", "reserved_fen", "redeemed_fen",
                                  "expired_fen")} == {
        "available_fen": 0, "reserved_fen": 0, "redeemed_fen": 70_000, "expired_fen": 430_000}
    assert budget.json()["available_fen"] == 1_000_000 - 500_000 + 430_000
    assert budget.json()["returned_fen"] == 430_000
    expired = await world.fetch(
        "SELECT envelope->'data'->>'amount_fen' AS amount, envelope->'data'->>'reason' AS why "
        "FROM outbox WHERE type = 'voucher.expired' AND key = $1 ORDER BY id", voucher["id"])
    assert [(e["amount"], e["why"]) for e in expired] == [
        ("350000", "use_by"), ("30000", "released_after_use_by"),
        ("50000", "released_after_use_by")]
