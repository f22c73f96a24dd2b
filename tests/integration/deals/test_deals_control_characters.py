"""NUL and other control characters in any string field of deals, body or query: a 422
naming the field (code `control_character`), and nothing written. Prose fields keep tab,
line feed and carriage return."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.deals import Parties, contract, footprint, new_parties, signed_deal
from tests.support.market import Market, auth

CONTROLS = {"NUL": "\x00", "escape": "\x1b[2J", "bell": "\x07", "C1": "\x85",
            "lone surrogate": "\ud800"}
DEDUCTION = {"item": "设备", "kind": "equipment", "amount_fen": 1}
IP_ITEM = {"kind": "patent", "number": "ZL202310123456.7"}


def _contract_with(field: str, bad: str) -> dict[str, Any]:
    if field.startswith("deductions"):
        inner = field.split(".")[1]
        return contract(deductions=[{**DEDUCTION, inner: f"设备{bad}"}])
    if field.startswith("ip"):
        inner = field.split(".")[1]
        return contract(ip=[{**IP_ITEM, inner: f"ZL{bad}1"}])
    return contract(**{field: f"正文{bad}"})


CONTRACT_FIELDS = {"subject": "subject", "acceptance_criteria": "acceptance_criteria",
                   "document_sha256": "document_sha256", "deductions.item": "deductions[0].item",
                   "deductions.kind": "deductions[0].kind", "ip.kind": "ip[0].kind",
                   "ip.number": "ip[0].number"}


@pytest.fixture(scope="module")
async def parties(market: Market) -> Parties:
    return await new_parties(market)


@pytest.fixture(scope="module")
async def deal(market: Market, parties: Parties) -> dict[str, Any]:
    return await signed_deal(market, parties)


async def _refused_naming(market: Market, field: str, method: str, path: str,
                          headers: dict[str, str], body: Any = None, **kwargs: Any) -> None:
    before = await footprint(market)
    if body is not None:  # escaped JSON: a lone surrogate cannot be sent as UTF-8
        kwargs["content"] = json.dumps(body).encode()
        headers = {**headers, "content-type": "application/json"}
    async with market.client("deals") as client:
        answer = await client.request(method, path, headers=headers, **kwargs)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    errors = answer.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    # pydantic refuses a lone surrogate itself, before the control-character check.
    assert errors[0]["code"] in ("control_character", "string_unicode")
    assert await footprint(market) == before


@pytest.mark.parametrize("control", sorted(CONTROLS))
async def test_a_deal_title(market: Market, parties: Parties, control: str) -> None:
    await _refused_naming(market, "title", "POST", "/deals", parties.broker.headers,
                          parties.deal(title=f"专利{CONTROLS[control]}转让"))


async def test_a_line_break_in_a_title(market: Market, parties: Parties) -> None:
    await _refused_naming(market, "title", "POST", "/deals", parties.broker.headers,
                          parties.deal(title="专利\n转让"))


@pytest.mark.parametrize("field", sorted(CONTRACT_FIELDS))
@pytest.mark.parametrize("control", ["NUL", "escape"])
async def test_contract_fields(market: Market, parties: Parties, deal: dict[str, Any],
                               field: str, control: str) -> None:
    await _refused_naming(market, CONTRACT_FIELDS[field], "POST",
                          f"/deals/{deal['id']}/contract", parties.broker.headers,
                          _contract_with(field, CONTROLS[control]))


async def test_prose_keeps_its_line_breaks(market: Market, parties: Parties,
                                           deal: dict[str, Any]) -> None:
    async with market.client("deals") as client:
        answer = await client.post(f"/deals/{deal['id']}/contract",
                                   json=contract(subject="第一条\n\t交付工艺包\r\n第二条 验收"),
                                   headers=parties.broker.headers)
    assert answer.status_code == 200, answer.text


@pytest.mark.parametrize("control", ["NUL", "escape"])
async def test_review_and_termination_reasons(market: Market, parties: Parties,
                                              deal: dict[str, Any], control: str) -> None:
    bad = f"理由{CONTROLS[control]}"
    await _refused_naming(market, "reason", "POST", f"/deals/{deal['id']}/review",
                          auth("operator", "BJ"), {"decision": "reject", "reason": bad})
    await _refused_naming(market, "reason", "POST", f"/deals/{deal['id']}/terminate",
                          parties.broker.headers, {"reason": bad})


@pytest.mark.parametrize("control", ["NUL", "escape"])
async def test_query_parameters(market: Market, parties: Parties, control: str) -> None:
    await _refused_naming(market, "region", "GET", "/deals", parties.broker.headers,
                          params={"region": f"B{CONTROLS[control]}"})
