"""Vouchers go to the small firms of the issuing region, within budget and cap."""

from __future__ import annotations

import uuid

from tests.support.vouchers.world import VouchersWorld, enterprise, operator


async def issue(world: VouchersWorld, program: dict, org: uuid.UUID, amount: int,
                region: str | None = None) -> tuple[int, dict]:
    async with world.client() as client:
        response = await client.post(
            f"/programs/{program['id']}/vouchers",
            json={"enterprise_org_id": str(org), "amount_fen": amount},
            headers=operator(region or program["issuer_region"]))
    return response.status_code, response.json()


async def test_issued_to_a_small_firm_of_the_region(world: VouchersWorld) -> None:
    org = await world.organization("HE")
    async with world.client() as client:
        program = await world.open_program(client, "HE")
        voucher = await world.issue(client, program, org, 300_000)
        again = await client.get(f"/vouchers/{voucher['id']}", headers=enterprise(org, "HE"))
        after = await client.get(f"/programs/{program['id']}", headers=operator("HE"))
    assert voucher["amount_fen"] == 300_000
    assert {k: voucher[k] for k in ("available_fen", "reserved_fen", "redeemed_fen",
                                    "expired_fen")} == {
        "available_fen": 300_000, "reserved_fen": 0, "redeemed_fen": 0, "expired_fen": 0}
    assert again.json() == voucher
    assert after.json()["available_fen"] == program["budget_fen"] - 300_000
    assert after.json()["issued_fen"] == 300_000
    events = await world.fetch("SELECT type FROM outbox WHERE key = $1", voucher["id"])
    assert [e["type"] for e in events] == ["voucher.issued"]


async def test_not_a_small_firm_of_the_region(world: VouchersWorld) -> None:
    big = await world.organization("HE", small_firm=False)
    elsewhere = await world.organization("BJ")
    async with world.client() as client:
        program = await world.open_program(client, "HE")
    status, big_answer = await issue(world, program, big, 1_000)
    status2, elsewhere_answer = await issue(world, program, elsewhere, 1_000)
    assert (status, status2) == (422, 422)
    assert [e["code"] for e in big_answer["errors"]] == ["not_small_firm"]
    assert [e["code"] for e in elsewhere_answer["errors"]] == ["not_of_issuing_region"]
    assert await world.fetchval("SELECT count(*) FROM vouchers WHERE program_id = $1",
                                uuid.UUID(program["id"])) == 0


async def test_an_enterprise_not_yet_replicated_is_a_conflict_to_retry(
        world: VouchersWorld) -> None:
    async with world.client() as client:
        program = await world.open_program(client, "HE")
    not_yet_seen = uuid.uuid4()
    status, unknown = await issue(world, program, not_yet_seen, 1_000)
    await world.organization("HE", org_id=not_yet_seen)
    status_after, _ = await issue(world, program, not_yet_seen, 1_000)
    assert (status, status_after) == (409, 201)
    assert [e["code"] for e in unknown["errors"]] == ["enterprise_not_known"]


async def test_over_budget_and_over_the_enterprise_cap(world: VouchersWorld) -> None:
    first, second = await world.organization("TJ"), await world.organization("TJ")
    async with world.client() as client:
        program = await world.open_program(client, "TJ", budget_fen=1_000_000,
                                           cap_per_enterprise_fen=600_000)
    assert (await issue(world, program, first, 400_000))[0] == 201
    status, capped = await issue(world, program, first, 200_001)
    assert status == 422
    assert [e["code"] for e in capped["errors"]] == ["over_enterprise_cap"]
    assert "200000 fen more" in capped["errors"][0]["message"]
    assert (await issue(world, program, second, 600_000))[0] == 201
    status, over = await issue(world, program, first, 1)
    assert status == 422
    assert [e["code"] for e in over["errors"]] == ["over_budget"]
    async with world.client() as client:
        after = await client.get(f"/programs/{program['id']}", headers=operator("TJ"))
    assert (after.json()["available_fen"], after.json()["issued_fen"]) == (0, 1_000_000)


async def test_only_the_programs_operator_issues(world: VouchersWorld) -> None:
    org = await world.organization("HE")
    async with world.client() as client:
        program = await world.open_program(client, "HE")
        as_enterprise = await client.post(
            f"/programs/{program['id']}/vouchers",
            json={"enterprise_org_id": str(org), "amount_fen": 1_000},
            headers=enterprise(org, "HE"))
    assert as_enterprise.status_code == 403
    assert (await issue(world, program, org, 1_000, region="BJ"))[0] == 403
    assert (await issue(world, {"id": str(uuid.uuid4()), "issuer_region": "HE"}, org,
                        1_000))[0] == 404


async def test_who_sees_a_voucher(world: VouchersWorld) -> None:
    org, other = await world.organization("HE"), await world.organization("HE")
    async with world.client() as client:
        program = await world.open_program(client, "HE")
        voucher = await world.issue(client, program, org, 5_000)
        url = f"/vouchers/{voucher['id']}"
        answers = {
            "owner": await client.get(url, headers=enterprise(org, "HE")),
            "other enterprise": await client.get(url, headers=enterprise(other, "HE")),
            "operator of HE": await client.get(url, headers=operator("HE")),
            "operator of BJ": await client.get(url, headers=operator("BJ")),
            "unknown": await client.get(f"/vouchers/{uuid.uuid4()}", headers=operator("HE")),
        }
    assert {k: v.status_code for k, v in answers.items()} == {
        "owner": 200, "other enterprise": 403, "operator of HE": 200, "operator of BJ": 403,
        "unknown": 404}


async def test_lists_of_vouchers(world: VouchersWorld) -> None:
    org, other = await world.organization("BJ"), await world.organization("BJ")
    async with world.client() as client:
        program = await world.open_program(client, "BJ")
        mine = [await world.issue(client, program, org, 1_000 * (i + 1)) for i in range(3)]
        await world.issue(client, program, other, 7_000)
        first = await client.get("/vouchers?limit=2", headers=enterprise(org, "BJ"))
        second = await client.get("/vouchers", params={"limit": 2,
                                                       "cursor": first.json()["next_cursor"]},
                                  headers=enterprise(org, "BJ"))
        someone_elses = await client.get(f"/vouchers?enterprise_org_id={other}",
                                         headers=enterprise(org, "BJ"))
        by_operator = await client.get(f"/vouchers?enterprise_org_id={other}",
                                       headers=operator("BJ"))
        other_operator = await client.get(f"/vouchers?enterprise_org_id={other}",
                                          headers=operator("TJ"))
    listed = first.json()["items"] + second.json()["items"]
    assert [v["id"] for v in listed] == [v["id"] for v in mine]
    assert second.json()["next_cursor"] is None
    assert someone_elses.status_code == 403
    assert [v["amount_fen"] for v in by_operator.json()["items"]] == [7_000]
    assert other_operator.json()["items"] == []
