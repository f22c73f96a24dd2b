"""NUL and other control characters in any string field of vouchers: a 422 naming the
field (code `control_character`), and nothing written."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.vouchers.world import VouchersWorld, enterprise, operator, program_body

CONTROLS = {"NUL": "\x00", "escape": "\x1b[2J", "C1": "\x9b", "lone surrogate": "\udfff"}


@pytest.fixture(scope="module")
async def reservation(world: VouchersWorld) -> AsyncIterator[dict[str, Any]]:
    firm = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    deal = await world.sign(lab, "BJ", firm, "HE")
    async with world.client() as client:
        program = await world.open_program(client, "HE")
        voucher = await world.issue(client, program, firm, 100_000)
        reserved = await world.reserve(client, voucher, deal, 10_000)
    assert reserved.status_code == 201, reserved.text
    yield reserved.json()


async def _footprint(world: VouchersWorld, reservation: dict[str, Any]) -> tuple[Any, ...]:
    return (await world.fetchval("SELECT count(*) FROM programs"),
            await world.fetchval("SELECT status FROM reservations WHERE id = $1",
                                 uuid.UUID(reservation["id"])))


async def _refused_naming(world: VouchersWorld, reservation: dict[str, Any], field: str,
                          path: str, headers: dict[str, str], body: Any) -> None:
    before = await _footprint(world, reservation)
    async with world.client() as client:
        # Escaped JSON: a lone surrogate cannot be sent as UTF-8.
        answer = await client.post(path, content=json.dumps(body).encode(), headers={
            **headers, "content-type": "application/json"})
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    # pydantic refuses a lone surrogate itself, before the control-character check.
    assert errors[0]["code"] in ("control_character", "string_unicode")
    assert await _footprint(world, reservation) == before


@pytest.mark.parametrize("control", sorted(CONTROLS))
async def test_a_program_name(world: VouchersWorld, reservation: dict[str, Any],
                              control: str) -> None:
    await _refused_naming(world, reservation, "name", "/programs", operator("HE"),
                          program_body("HE", name=f"创新券{CONTROLS[control]}"))


async def test_a_line_break_in_a_program_name(world: VouchersWorld,
                                              reservation: dict[str, Any]) -> None:
    await _refused_naming(world, reservation, "name", "/programs", operator("HE"),
                          program_body("HE", name="创新券\n2026"))


@pytest.mark.parametrize("control", ["NUL", "escape"])
async def test_an_eligible_contract_type(world: VouchersWorld, reservation: dict[str, Any],
                                         control: str) -> None:
    types = ["consulting", f"service.technical{CONTROLS[control]}"]
    await _refused_naming(world, reservation, "eligible_contract_types[1]", "/programs",
                          operator("HE"), program_body("HE", eligible_contract_types=types))


@pytest.mark.parametrize("control", sorted(CONTROLS))
async def test_a_release_reason(world: VouchersWorld, reservation: dict[str, Any],
                                control: str) -> None:
    firm = enterprise(uuid.UUID(reservation["enterprise_org_id"]), "HE")
    await _refused_naming(world, reservation, "reason",
                          f"/reservations/{reservation['id']}/release", firm,
                          {"reason": f"不需要了{CONTROLS[control]}"})
