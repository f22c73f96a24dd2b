"""Reserving voucher money against a signed deal with a recognised provider."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from services.vouchers.domain import layout
from tests.support.vouchers.world import VouchersWorld, enterprise


async def setup(world: VouchersWorld, **terms: Any) -> tuple[dict, uuid.UUID, uuid.UUID]:
    """A HE program (terms overridable), a voucher of 1,000,000 fen, a Beijing lab."""
    org = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    async with world.client() as client:
        program = await world.open_program(client, "HE", **terms)
        voucher = await world.issue(client, program, org, 1_000_000)
    return voucher, org, lab


def codes(response: Any) -> list[str]:
    return [e["code"] for e in response.json()["errors"]]


async def test_a_signed_deal_is_reserved_with_a_timeout(world: VouchersWorld) -> None:
    voucher, org, lab = await setup(world, reservation_timeout_seconds=3_600)
    deal = await world.sign(lab, "BJ", org, "HE", tech_amount_fen=2_000_000)
    async with world.client() as client:
        response = await world.reserve(client, voucher, deal, 400_000)
        assert response.status_code == 201, response.text
        reservation = response.json()
        after = await world.voucher(client, voucher["id"])
        seen = await client.get(f"/reservations/{reservation['id']}",
                                headers=enterprise(org, "HE"))
    created = datetime.fromisoformat(reservation["created_at"])
    expires = datetime.fromisoformat(reservation["expires_at"])
    assert (expires - created).total_seconds() == 3_600
    assert (reservation["status"], reservation["amount_fen"]) == ("pending", 400_000)
    assert reservation["provider_region"] == "BJ"
    assert (after["available_fen"], after["reserved_fen"]) == (600_000, 400_000)
    assert seen.json() == reservation
    events = await world.fetch("SELECT type, envelope->'data' AS data FROM outbox "
                               "WHERE type = 'voucher.reserved' AND key = $1", voucher["id"])
    assert len(events) == 1


async def test_an_unknown_deal_is_a_conflict_to_retry(world: VouchersWorld) -> None:
    voucher, org, lab = await setup(world)
    deal = await world.sign(lab, "BJ", org, "HE")
    not_yet_seen = replace(deal, deal_id=uuid.uuid4())  # its deal.signed is still on its way
    async with world.client() as client:
        unknown = await world.reserve(client, voucher, not_yet_seen, 1_000)
        known = await world.reserve(client, voucher, deal, 1_000)
    assert unknown.status_code == 409
    assert unknown.headers["retry-after"] == "1"
    assert codes(unknown) == ["deal_not_signed"]
    assert known.status_code == 201


async def test_every_rule_of_a_reservation(world: VouchersWorld) -> None:
    catalogued = await world.organization("BJ", kind="lab", small_firm=False)
    voucher, org, lab = await setup(world, recognized_regions=["BJ", "HE"], max_share_bp=5_000,
                                    provider_catalog=[str(catalogued)],
                                    eligible_contract_types=["service.technical"])
    tianjin = await world.organization("TJ", kind="institute", small_firm=False)
    somebody = await world.organization("HE")
    async with world.client() as client:
        in_catalog = await world.sign(catalogued, "BJ", org, "HE", tech_amount_fen=1_000_000)
        not_in_catalog = await world.sign(lab, "BJ", org, "HE")
        unrecognised = await world.sign(tianjin, "TJ", org, "HE")
        consulting = await world.sign(catalogued, "BJ", org, "HE", contract_type="consulting")
        not_ours = await world.sign(catalogued, "BJ", somebody, "HE")
        answers = {
            "share": await world.reserve(client, voucher, in_catalog, 500_001),
            "available": await world.reserve(client, voucher, in_catalog, 1_000_001),
            "catalog": await world.reserve(client, voucher, not_in_catalog, 1_000),
            "region": await world.reserve(client, voucher, unrecognised, 1_000),
            "type": await world.reserve(client, voucher, consulting, 1_000),
            "buyer": await world.reserve(client, voucher, not_ours, 1_000),
            "seller": await world.reserve(client, voucher, in_catalog, 1_000, provider=lab),
            "zero": await world.reserve(client, voucher, in_catalog, 0),
            "fits": await world.reserve(client, voucher, in_catalog, 500_000),
        }
        after = await world.voucher(client, voucher["id"])
    assert {k: v.status_code for k, v in answers.items()} == {
        **{k: 422 for k in answers}, "fits": 201}
    assert codes(answers["share"]) == ["over_max_share"]
    assert codes(answers["available"]) == ["over_available", "over_max_share"]
    assert codes(answers["catalog"]) == ["provider_not_in_catalog"]
    assert codes(answers["region"]) == ["provider_region_not_recognised",
                                        "provider_not_in_catalog"]
    assert codes(answers["type"]) == ["contract_type_not_eligible"]
    assert codes(answers["buyer"]) == ["enterprise_not_deal_buyer"]
    assert set(codes(answers["seller"])) == {"provider_not_in_catalog",
                                             "provider_not_deal_seller"}
    assert codes(answers["zero"]) == ["must_be_positive"]
    assert (after["available_fen"], after["reserved_fen"]) == (500_000, 500_000)


async def test_the_share_counts_what_is_held_and_redeemed(world: VouchersWorld) -> None:
    voucher, org, lab = await setup(world, max_share_bp=2_500)
    deal = await world.sign(lab, "BJ", org, "HE", tech_amount_fen=400_000)  # share 100,000
    async with world.client() as client:
        first = (await world.reserve(client, voucher, deal, 60_000)).json()
        over = await world.reserve(client, voucher, deal, 40_001)
        await world.register(deal)
        assert (await world.redeem(client, first, 50_000)).status_code == 200
        # 50,000 redeemed: 50,000 of the share is left (the unredeemed 10,000 came back)
        fits = await world.reserve(client, voucher, deal, 50_000)
        full = await world.reserve(client, voucher, deal, 1)
    assert over.status_code == 422 and codes(over) == ["over_max_share"]
    assert fits.status_code == 201
    assert full.status_code == 422 and codes(full) == ["over_max_share"]
    committed = await world.fetchval(
        "SELECT committed_fen FROM deal_shares WHERE deal_id = $1", deal.deal_id)
    assert committed == 100_000


async def test_only_the_vouchers_enterprise_reserves(world: VouchersWorld) -> None:
    voucher, org, lab = await setup(world)
    other = await world.organization("HE")
    deal = await world.sign(lab, "BJ", org, "HE")
    body = {"deal_id": str(deal.deal_id), "provider_org_id": str(lab), "amount_fen": 1_000}
    async with world.client() as client:
        answers = [await client.post(f"/vouchers/{voucher['id']}/reservations", json=body,
                                     headers=headers)
                   for headers in (enterprise(other, "HE"), enterprise(lab, "BJ"))]
        unknown = await client.post(f"/vouchers/{uuid.uuid4()}/reservations", json=body,
                                    headers=enterprise(org, "HE"))
    assert [a.status_code for a in answers] == [403, 403]
    assert unknown.status_code == 404


async def test_terminated_and_completed_deals_take_no_reservation(world: VouchersWorld) -> None:
    voucher, org, lab = await setup(world)
    ended = await world.sign(lab, "BJ", org, "HE")
    await world.terminate(ended)
    done = await world.sign(lab, "BJ", org, "HE")
    await world.register(done)
    await world.complete(done)
    async with world.client() as client:
        terminated = await world.reserve(client, voucher, ended, 1_000)
        completed = await world.reserve(client, voucher, done, 1_000)
    assert terminated.status_code == completed.status_code == 409
    assert "terminated" in terminated.json()["detail"]
    assert "completed" in completed.json()["detail"]


async def test_a_retried_reservation_holds_once(world: VouchersWorld) -> None:
    voucher, org, lab = await setup(world)
    deal = await world.sign(lab, "BJ", org, "HE")
    body = {"deal_id": str(deal.deal_id), "provider_org_id": str(lab), "amount_fen": 7_000}
    headers = {**enterprise(org, "HE"), "Idempotency-Key": f"reserve-{uuid.uuid4()}"}
    url = f"/vouchers/{voucher['id']}/reservations"
    async with world.client() as client:
        first = await client.post(url, json=body, headers=headers)
        again = await client.post(url, json=body, headers=headers)
        other = await client.post(url, json={**body, "amount_fen": 8_000}, headers=headers)
        after = await world.voucher(client, voucher["id"])
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert other.status_code == 422
    assert after["reserved_fen"] == 7_000


async def test_a_provider_other_than_the_seller_is_placed_by_the_replica(
        world: VouchersWorld) -> None:
    """Only the seller's region comes with the deal: anyone else's is the organisations
    replica's, and one the replica does not know is in no region a program recognises."""
    voucher, org, lab = await setup(world, recognized_regions=["BJ", "HE"])
    deal = await world.sign(lab, "BJ", org, "HE")
    beijing = await world.organization("BJ", kind="institute", small_firm=False)
    tianjin = await world.organization("TJ", kind="institute", small_firm=False)
    async with world.client() as client:
        answers = {name: await world.reserve(client, voucher, deal, 1_000, provider=provider)
                   for name, provider in (("beijing", beijing), ("tianjin", tianjin),
                                          ("unknown", uuid.uuid4()))}
    assert {name: a.status_code for name, a in answers.items()} == {
        "beijing": 422, "tianjin": 422, "unknown": 422}
    assert codes(answers["beijing"]) == ["provider_not_deal_seller"]
    for name in ("tianjin", "unknown"):
        assert codes(answers[name]) == ["provider_region_not_recognised",
                                        "provider_not_deal_seller"]


async def test_first_reservations_with_a_provider_open_its_accounts_once(
        world: VouchersWorld) -> None:
    """The provider's settlement accounts of the issuing region are opened by its first
    reservations, however many race to be first."""
    voucher, org, lab = await setup(world)
    deal = await world.sign(lab, "BJ", org, "HE", tech_amount_fen=2_000_000)
    assert await world.fetch("SELECT id FROM ledger_accounts WHERE provider_org_id = $1",
                             lab) == []
    async with world.client() as client:
        answers = await asyncio.gather(*(world.reserve(client, voucher, deal, 1_000)
                                         for _ in range(10)))
    assert [a.status_code for a in answers] == [201] * 10, [a.text for a in answers]
    accounts = await world.fetch(
        "SELECT id, code, flags, region, program_id, voucher_id, credits_pending "
        "FROM ledger_accounts WHERE provider_org_id = $1 ORDER BY code", lab)
    payable, paid = layout.provider_accounts("HE", lab)
    assert [(a["id"], a["code"], a["flags"], a["region"], a["program_id"], a["voucher_id"])
            for a in accounts] == [
        (x.id, int(x.code), int(x.flags), "HE", None, None) for x in (payable, paid)]
    assert [a["credits_pending"] for a in accounts] == [10_000, 0]
