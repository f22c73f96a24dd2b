"""A redemption is one statement that commits on its own (Tx.run_statements): after the
service lost its database connections (Postgres restarted), a redemption is answered and
moves the money once."""

from __future__ import annotations

import uuid

from services.vouchers.domain.layout import ledger_id
from tests.support.vouchers.world import VouchersWorld, enterprise

# Every connection the service holds to its database, except the relay's LISTEN and ours.
_TERMINATE = """SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
    WHERE datname = current_database() AND pid <> pg_backend_pid()
    AND query NOT ILIKE 'LISTEN%'"""


async def test_a_redemption_after_lost_connections_is_made_once(world: VouchersWorld) -> None:
    async with world.client() as client:
        org = await world.organization("HE")
        lab = await world.organization("BJ", kind="lab", small_firm=False)
        deal = await world.sign(lab, "BJ", org, "HE", tech_amount_fen=10_000_000)
        program = await world.open_program(client, "HE")
        voucher = await world.issue(client, program, org, 100_000)
        reservation = (await world.reserve(client, voucher, deal, 50_000)).json()
        await world.register(deal)
        headers = enterprise(org, "HE")
        for _ in range(3):  # the service's plain pool now holds connections
            seen = await client.get(f"/reservations/{reservation['id']}", headers=headers)
            assert seen.status_code == 200, seen.text
        assert await world.fetchval(_TERMINATE) >= 1
        redeemed = await world.redeem(client, reservation, 50_000)
    assert redeemed.status_code == 200, redeemed.text
    assert redeemed.json()["status"] == "redeemed"
    posted = await world.fetchval(
        "SELECT count(*) FROM ledger_transfers WHERE pending_id = $1 AND flags = 4",
        ledger_id("reservation", uuid.UUID(reservation["id"])))
    events = await world.fetchval(
        "SELECT count(*) FROM outbox WHERE type = 'voucher.redeemed' "
        "AND envelope -> 'data' ->> 'reservation_id' = $1", reservation["id"])
    assert (posted, events) == (1, 1)
