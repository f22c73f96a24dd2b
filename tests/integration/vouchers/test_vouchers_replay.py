"""Replaying deals.events twice changes nothing: not the replica, not a reservation, not a fen.

Twice as the very same CloudEvents (the inbox skips them), and once more as fresh envelopes
of the same facts (new ids, as a re-publication could produce): the handlers themselves
never move a deal backwards and never release a reservation twice.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from typing import Any

from shared.events.envelope import CloudEvent
from tests.support.vouchers.world import VouchersWorld


async def snapshot(world: VouchersWorld, deal_ids: list[uuid.UUID], voucher_id: str
                   ) -> dict[str, Any]:
    voucher = uuid.UUID(voucher_id)
    return {
        "deals": [tuple(r) for r in await world.fetch(
            "SELECT id, status, contract_type, tech_amount_fen, registration_no FROM deals "
            "WHERE id = ANY($1::uuid[]) ORDER BY id", deal_ids)],
        "reservations": [tuple(r) for r in await world.fetch(
            "SELECT id, status, redeemed_fen, release_reason, version FROM reservations "
            "WHERE voucher_id = $1 ORDER BY id", voucher)],
        "transfers": [tuple(r) for r in await world.fetch(
            "SELECT id, amount, code FROM ledger_transfers WHERE voucher_id = $1 ORDER BY id",
            voucher)],
        "accounts": [tuple(r) for r in await world.fetch(
            "SELECT id, debits_pending, debits_posted, credits_pending, credits_posted "
            "FROM ledger_accounts WHERE id IN (SELECT debit_account_id FROM ledger_transfers "
            "WHERE voucher_id = $1 UNION SELECT credit_account_id FROM ledger_transfers "
            "WHERE voucher_id = $1) ORDER BY id", voucher)],
        "events": await world.fetchval(
            "SELECT count(*) FROM outbox WHERE envelope->'data'->>'voucher_id' = $1",
            voucher_id),
    }


async def duplicates_skipped(world: VouchersWorld) -> float:
    async with world.client() as client:
        metrics = (await client.get("/metrics")).text
    found = re.search(r'techmarket_events_duplicate_total\{consumer="vouchers"\} ([0-9.]+)',
                      metrics)
    return float(found.group(1)) if found else 0.0


async def test_replaying_deals_events_twice_changes_nothing(world: VouchersWorld) -> None:
    firm = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    async with world.client() as client:
        program = await world.open_program(client, "HE")
        voucher = await world.issue(client, program, firm, 900_000)
        paid = await world.sign(lab, "BJ", firm, "HE", tech_amount_fen=1_000_000)
        ended = await world.sign(lab, "BJ", firm, "HE", tech_amount_fen=1_000_000)
        redeemed = (await world.reserve(client, voucher, paid, 300_000)).json()
        still_held = (await world.reserve(client, voucher, paid, 100_000)).json()
        dropped = (await world.reserve(client, voucher, ended, 200_000)).json()
        await world.register(paid)
        assert (await world.redeem(client, redeemed, 250_000)).status_code == 200
        await world.terminate(ended)
        await world.wait_for("SELECT status = 'released' FROM reservations WHERE id = $1",
                             uuid.UUID(dropped["id"]))
        await world.complete(paid)
    assert still_held["status"] == "pending"
    deal_ids = [paid.deal_id, ended.deal_id]
    history = [e for e in world.sent if e.type.startswith("deal.")
               and e.subject in {str(d) for d in deal_ids}]
    assert [e.type for e in history] == ["deal.signed", "deal.signed", "deal.registered",
                                         "deal.terminated", "deal.completed"]
    before = await snapshot(world, deal_ids, voucher["id"])

    skipped = await duplicates_skipped(world)
    for _ in range(2):
        for envelope in history:
            await world.send(envelope, "deals.events")
    await _eventually_at_least(world, skipped + 2 * len(history))

    fresh = [CloudEvent(**{**e.model_dump(), "id": uuid.uuid4()}) for e in history]
    for envelope in fresh:
        await world.send(envelope, "deals.events")
    await world.wait_for("SELECT count(*) = $1 FROM inbox WHERE event_id = ANY($2::uuid[])",
                         len(fresh), [e.id for e in fresh])

    assert await snapshot(world, deal_ids, voucher["id"]) == before


async def _eventually_at_least(world: VouchersWorld, count: float) -> None:
    deadline = time.monotonic() + 30
    while await duplicates_skipped(world) < count:
        assert time.monotonic() < deadline, "the replayed events were not all skipped"
        await asyncio.sleep(0.05)
