"""Races the ledger must win: many reservations for the last yuan, many redeems of one hold."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections import Counter
from collections.abc import Awaitable

import httpx
import pytest

from services.vouchers.domain.layout import ledger_id
from tests.support.vouchers.world import VouchersWorld, enterprise, operator

AMOUNT = 1_000


async def voucher_and_deal(world: VouchersWorld, client: httpx.AsyncClient, amount: int,
                           **terms: object) -> tuple[dict, object, uuid.UUID]:
    """A Hebei firm's voucher of `amount` and a contract of 10,000,000 fen with a lab."""
    org = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    deal = await world.sign(lab, "BJ", org, "HE", tech_amount_fen=10_000_000)
    program = await world.open_program(client, "HE", **terms)
    return await world.issue(client, program, org, amount), deal, lab


async def test_200_reservations_on_a_voucher_that_can_pay_100(world: VouchersWorld) -> None:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with world.client(limits=limits) as client:
        voucher, deal, _ = await voucher_and_deal(world, client, 100 * AMOUNT,
                                                  max_share_bp=10_000)
        answers = await asyncio.gather(*(world.reserve(client, voucher, deal, AMOUNT)
                                         for _ in range(200)))
        after = await world.voucher(client, voucher["id"])
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {201: 100, 422: 100}, statuses
    refused = {e["code"] for a in answers if a.status_code == 422 for e in a.json()["errors"]}
    assert refused == {"over_available"}
    assert (after["available_fen"], after["reserved_fen"]) == (0, 100 * AMOUNT)
    holds = await world.fetchval("SELECT count(*) FROM ledger_transfers "
                                 "WHERE voucher_id = $1 AND code = 3", uuid.UUID(voucher["id"]))
    rows = await world.fetchval("SELECT count(*) FROM reservations WHERE voucher_id = $1",
                                uuid.UUID(voucher["id"]))
    assert holds == rows == 100


def redeem_with_key(client: httpx.AsyncClient, reservation: dict, amount: int
                    ) -> Awaitable[httpx.Response]:
    """A redemption run in one transaction (an Idempotency-Key's answer commits with it),
    where the reservation's row is locked first, instead of one statement on its own."""
    headers = enterprise(uuid.UUID(reservation["enterprise_org_id"]),
                         reservation["issuer_region"])
    return client.post(f"/reservations/{reservation['id']}/redeem",
                       json={"amount_fen": amount},
                       headers={**headers, "Idempotency-Key": uuid.uuid4().hex})


@pytest.mark.parametrize(("keyed", "partial"), [(False, False), (False, True), (True, True)],
                         ids=["each-one-statement", "mixed", "each-in-a-transaction"])
async def test_50_redeems_of_one_reservation_post_once(world: VouchersWorld, keyed: bool,
                                                       partial: bool) -> None:
    """Full redemptions are one statement each; partial ones (and any with an
    Idempotency-Key) run in a transaction that locks the reservation first."""
    async with world.client(limits=httpx.Limits(max_connections=60)) as client:
        voucher, deal, lab = await voucher_and_deal(world, client, 500_000)
        reservation = (await world.reserve(client, voucher, deal, 300_000)).json()
        await world.register(deal)
        amounts = [300_000 - i * 1_000 * partial for i in range(50)]
        random.shuffle(amounts)
        redeem = redeem_with_key if keyed else world.redeem
        answers = await asyncio.gather(*(redeem(client, reservation, amount)
                                         for amount in amounts))
        after = await world.voucher(client, voucher["id"])
        owed = await client.get("/settlements", params={"provider_org_id": str(lab)},
                                headers=operator("HE"))
        stored = (await client.get(f"/reservations/{reservation['id']}",
                                   headers=enterprise(uuid.UUID(voucher["enterprise_org_id"]),
                                                      "HE"))).json()
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {200: 1, 409: 49}, statuses
    assert {a.json()["errors"][0]["code"] for a in answers if a.status_code == 409} == {
        "reservation_not_pending"}
    winner = next(a.json() for a in answers if a.status_code == 200)
    assert stored == winner
    hold_id = ledger_id("reservation", uuid.UUID(reservation["id"]))
    posted = await world.fetch("SELECT amount FROM ledger_transfers WHERE pending_id = $1",
                               hold_id)
    assert [p["amount"] for p in posted] == [winner["redeemed_fen"]]
    events = await world.fetchval(
        "SELECT count(*) FROM outbox WHERE type = 'voucher.redeemed' "
        "AND envelope -> 'data' ->> 'reservation_id' = $1", reservation["id"])
    assert events == 1
    assert after["redeemed_fen"] == winner["redeemed_fen"]
    assert after["available_fen"] == 500_000 - winner["redeemed_fen"]
    assert after["reserved_fen"] == 0
    assert owed.json()["items"][0]["owed_fen"] == winner["redeemed_fen"]


async def test_redeem_and_release_racing_resolve_once(world: VouchersWorld) -> None:
    async with world.client(limits=httpx.Limits(max_connections=60)) as client:
        voucher, deal, _ = await voucher_and_deal(world, client, 500_000)
        reservations = [(await world.reserve(client, voucher, deal, 10_000)).json()
                        for _ in range(10)]
        await world.register(deal)
        attempts = [attempt for r in reservations for attempt in (
            world.redeem(client, r, 10_000), world.release(client, r),
            world.release(client, r, by_operator=True))]
        answers = await asyncio.gather(*attempts)
        after = await world.voucher(client, voucher["id"])
    for i in range(10):
        trio = [a.status_code for a in answers[3 * i: 3 * i + 3]]
        assert sorted(trio) == [200, 409, 409], trio
    redeemed = sum(1 for i in range(10) if answers[3 * i].status_code == 200)
    assert after["redeemed_fen"] == redeemed * 10_000
    assert after["available_fen"] == 500_000 - redeemed * 10_000
    assert after["reserved_fen"] == 0
