"""Programs: an operator opens one for its own region; its budget is funded on the ledger."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from shared.auth import mint_token
from tests.support.vouchers.world import VouchersWorld, enterprise, operator, program_body, token


async def test_operator_opens_a_program_of_its_region(world: VouchersWorld) -> None:
    async with world.client() as client:
        body = program_body("HE", provider_catalog=None, reservation_timeout_seconds=600)
        response = await client.post("/programs", json=body, headers=operator("HE"))
        assert response.status_code == 201, response.text
        program = response.json()
        assert program["issuer_region"] == "HE"
        assert (program["available_fen"], program["issued_fen"], program["redeemed_fen"]) == (
            body["budget_fen"], 0, 0)
        assert program["reservation_timeout_seconds"] == 600
        assert program["version"] == 1
        again = await client.get(f"/programs/{program['id']}",
                                 headers=enterprise(program["id"], "BJ"))
    assert again.status_code == 200
    assert again.json() == program
    outbox = await world.fetch("SELECT type, envelope FROM outbox WHERE key = $1",
                               program["id"])
    assert [r["type"] for r in outbox] == ["program.opened"]


async def test_a_date_means_the_end_of_that_day_in_china(world: VouchersWorld) -> None:
    year = datetime.now(UTC).year + 1
    async with world.client() as client:
        body = program_body("BJ", year=year, use_by=f"{year}-06-30", redeem_by=f"{year}-09-30")
        response = await client.post("/programs", json=body, headers=operator("BJ"))
    assert response.status_code == 201, response.text
    assert response.json()["use_by"] == f"{year}-06-30T16:00:00Z"  # 07-01 00:00 +08:00


async def test_gb_codes_name_regions_too(world: VouchersWorld) -> None:
    async with world.client() as client:
        body = program_body("130000", recognized_regions=["110000", "HE"])
        response = await client.post("/programs", json=body, headers=operator("HE"))
    assert response.status_code == 201, response.text
    assert response.json()["issuer_region"] == "HE"
    assert response.json()["recognized_regions"] == ["BJ", "HE"]


async def test_only_the_operator_of_the_issuing_region(world: VouchersWorld) -> None:
    async with world.client() as client:
        body = program_body("HE")
        other_region = await client.post("/programs", json=body, headers=operator("BJ"))
        not_operator = await client.post("/programs", json=body,
                                         headers={"Authorization": "Bearer "
                                                  + token("broker", "HE")})
        no_token = await client.post("/programs", json=body)
        forged = mint_token("not-the-market-secret-but-long-enough-for-hs256", role="operator",
                            region="HE")
        forged_token = await client.post("/programs", json=body,
                                         headers={"Authorization": f"Bearer {forged}"})
    assert other_region.status_code == 403
    assert not_operator.status_code == 403
    assert no_token.status_code == 401
    assert forged_token.status_code == 401
    for answer in (other_region, not_operator, no_token, forged_token):
        assert answer.headers["content-type"] == "application/problem+json"
    assert await world.fetchval("SELECT count(*) FROM programs WHERE name = $1",
                                body["name"]) == 0


async def test_rules_name_every_reason(world: VouchersWorld) -> None:
    now = datetime.now(UTC)
    async with world.client() as client:
        body = program_body(
            "HE", name=" ", budget_fen=0, max_share_bp=10_001, cap_per_enterprise_fen=-5,
            eligible_contract_types=["barter"], recognized_regions=["XX"],
            provider_catalog=[], use_by=(now + timedelta(days=20)).isoformat(),
            redeem_by=(now + timedelta(days=10)).isoformat())
        response = await client.post("/programs", json=body, headers=operator("HE"))
    assert response.status_code == 422
    codes = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert codes == {
        ("name", "required"), ("budget_fen", "must_be_positive"),
        ("cap_per_enterprise_fen", "must_be_positive"), ("max_share_bp", "out_of_range"),
        ("recognized_regions[0]", "unknown_region"),
        ("eligible_contract_types[0]", "unknown_contract_type"),
        ("provider_catalog", "empty_catalog"), ("use_by", "after_redeem_by")}


async def test_a_program_that_could_never_be_used_is_refused(world: VouchersWorld) -> None:
    past = datetime.now(UTC) - timedelta(minutes=1)
    async with world.client() as client:
        body = program_body("TJ", use_by=past.isoformat())
        response = await client.post("/programs", json=body, headers=operator("TJ"))
        naive = await client.post("/programs", json=program_body(
            "TJ", use_by="2030-01-01T00:00:00"), headers=operator("TJ"))
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["in_the_past"]
    assert naive.status_code == 422
    assert [e["code"] for e in naive.json()["errors"]] == ["timezone_required"]


async def test_transfers_newest_first_for_the_regions_operator(world: VouchersWorld) -> None:
    async with world.client() as client:
        program = await world.open_program(client, "TJ")
        org = await world.organization("TJ")
        vouchers = [await world.issue(client, program, org, 1_000 + i) for i in range(3)]
        first = await client.get(f"/programs/{program['id']}/transfers?limit=2",
                                 headers=operator("TJ"))
        assert first.status_code == 200, first.text
        page = first.json()
        rest = await client.get(f"/programs/{program['id']}/transfers",
                                params={"limit": 2, "cursor": page["next_cursor"]},
                                headers=operator("TJ"))
        other = await client.get(f"/programs/{program['id']}/transfers",
                                 headers=operator("BJ"))
        as_enterprise = await client.get(f"/programs/{program['id']}/transfers",
                                         headers=enterprise(org, "TJ"))
    items = page["items"] + rest.json()["items"]
    assert rest.json()["next_cursor"] is None
    assert [t["movement"] for t in items] == ["voucher_issue"] * 3 + ["program_funding"]
    assert [t["amount_fen"] for t in items[:3]] == [v["amount_fen"] for v in vouchers[::-1]]
    assert items[-1]["amount_fen"] == program["budget_fen"]
    assert items[0]["kind"] == "single"
    assert other.status_code == 403
    assert as_enterprise.status_code == 403
