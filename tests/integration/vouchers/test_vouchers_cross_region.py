"""京津冀 mutual recognition: a Hebei voucher pays a Beijing lab; the provider is settled."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

from tests.support.vouchers.world import VouchersWorld, operator, program_body


async def test_hebei_voucher_pays_a_recognised_beijing_lab(world: VouchersWorld) -> None:
    firm = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    async with world.client() as client:
        # The operator of Hebei opens a program recognising Beijing and Hebei providers.
        opened = await client.post("/programs", headers=operator("HE"), json=program_body(
            "HE", recognized_regions=["BJ", "HE"], max_share_bp=5_000,
            eligible_contract_types=["service.technical", "development.commissioned"]))
        assert opened.status_code == 201, opened.text
        program = opened.json()
        voucher = await world.issue(client, program, firm, 800_000)
        # The firm signs a cross-region contract (BJ seller → HE buyer) and reserves.
        deal = await world.sign(lab, "BJ", firm, "HE", tech_amount_fen=1_200_000,
                                contract_type="development.commissioned")
        reserved = await world.reserve(client, voucher, deal, 600_000)
        assert reserved.status_code == 201, reserved.text
        # Registration (in Beijing, the seller's region) makes it redeemable.
        await world.register(deal)
        redeemed = await world.redeem(client, reserved.json(), 550_000)
        assert redeemed.status_code == 200, redeemed.text
        # Hebei owes the Beijing lab what was redeemed, and pays it.
        owed = await client.get("/settlements", headers=operator("HE"), params={
            "issuer_region": "HE", "provider_region": "BJ", "provider_org_id": str(lab)})
        paid = await client.post(f"/settlements/{lab}/pay", headers=operator("HE"))
        after = await client.get("/settlements", headers=operator("HE"),
                                 params={"provider_org_id": str(lab)})
        program_after = await client.get(f"/programs/{program['id']}", headers=operator("HE"))
        check = await world.ledger_check(client)
    assert [(i["owed_fen"], i["provider_region"]) for i in owed.json()["items"]] == [
        (550_000, "BJ")]
    assert paid.status_code == 200, paid.text
    assert (paid.json()["amount_fen"], paid.json()["owed_fen"], paid.json()["paid_fen"]) == (
        550_000, 0, 550_000)
    assert after.json()["items"] == []  # nothing owed any more
    assert program_after.json()["redeemed_fen"] == 550_000
    assert check == {"ok": True, "violations": []}
    events = await world.fetch("SELECT type FROM outbox WHERE envelope->'data'->>"
                               "'provider_org_id' = $1 ORDER BY id", str(lab))
    assert [e["type"] for e in events] == ["voucher.reserved", "voucher.redeemed",
                                           "settlement.paid"]


async def test_a_region_not_recognised_is_refused(world: VouchersWorld) -> None:
    firm = await world.organization("HE")
    institute = await world.organization("TJ", kind="institute", small_firm=False)
    async with world.client() as client:
        program = await world.open_program(client, "HE", recognized_regions=["BJ", "HE"])
        voucher = await world.issue(client, program, firm, 100_000)
        deal = await world.sign(institute, "TJ", firm, "HE")
        refused = await world.reserve(client, voucher, deal, 10_000)
        after = await world.voucher(client, voucher["id"])
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["provider_region_not_recognised"]
    assert refused.json()["errors"][0]["field"] == "provider_org_id"
    assert (after["available_fen"], after["reserved_fen"]) == (100_000, 0)


async def test_only_the_issuing_regions_operator_pays(world: VouchersWorld) -> None:
    firm = await world.organization("TJ")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    async with world.client() as client:
        program = await world.open_program(client, "TJ")
        voucher = await world.issue(client, program, firm, 100_000)
        deal = await world.sign(lab, "BJ", firm, "TJ")
        reservation = (await world.reserve(client, voucher, deal, 10_000)).json()
        await world.register(deal)
        await world.redeem(client, reservation, 10_000)
        answers = {
            "beijing pays what tianjin owes": await client.post(
                f"/settlements/{lab}/pay", headers=operator("BJ")),
            "for another region": await client.post(
                f"/settlements/{lab}/pay", headers=operator("BJ"), json={"issuer_region": "TJ"}),
            "unknown provider": await client.post(
                f"/settlements/{uuid.uuid4()}/pay", headers=operator("TJ")),
        }
        twice = await asyncio.gather(*(client.post(f"/settlements/{lab}/pay",
                                                   headers=operator("TJ")) for _ in range(5)))
    assert {k: v.status_code for k, v in answers.items()} == {
        "beijing pays what tianjin owes": 404, "for another region": 403,
        "unknown provider": 404}
    assert Counter(a.status_code for a in twice) == {200: 1, 409: 4}
    payments = await world.fetchval(
        "SELECT count(*) FROM ledger_transfers WHERE code = 7 AND provider_org_id = $1", lab)
    assert payments == 1
