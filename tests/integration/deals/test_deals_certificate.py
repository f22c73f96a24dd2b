"""The public certificate at GET /registrations/{no}?code=: no token needed, but the
verification code printed on the certificate."""

from __future__ import annotations

import pytest

from tests.support.deals import TODAY, new_parties, registered_deal
from tests.support.market import Market


async def test_anyone_verifies_a_certificate(market: Market) -> None:
    parties = await new_parties(market, "BJ", "HE")
    deal = await registered_deal(market, parties)
    names = {r["id"]: r["name"] for r in await market.fetch(
        "deals", "SELECT id, name FROM organizations WHERE id = ANY($1::uuid[])",
        [parties.seller, parties.buyer])}
    async with market.client("deals") as client:
        answer = await client.get(f"/registrations/{deal['registration_no']}",
                                  params={"code": deal["certificate"]["verification_code"]})
    assert answer.status_code == 200, answer.text
    certificate = answer.json()
    assert certificate["seller"] == {"org_id": str(parties.seller),
                                     "name": names[parties.seller], "region": "BJ"}
    assert certificate["buyer"] == {"org_id": str(parties.buyer),
                                    "name": names[parties.buyer], "region": "HE"}
    assert certificate["registry_region"] == "BJ"
    assert certificate["contract_type"] == "transfer.patent"
    assert certificate["contract_type_name_zh"] == "技术转让合同(专利权转让)"
    assert (certificate["total_fen"], certificate["tech_amount_fen"]) == (1_200_000, 1_000_000)
    assert certificate["registered_on"] == TODAY.isoformat()
    assert certificate["deal_status"] == "registered"
    benefits = {b["code"]: b["applicable"] for b in certificate["tax_benefits"]}
    assert benefits == {"vat_exemption": True, "cit_transfer_income_relief": True}
    assert certificate == deal["certificate"]


@pytest.mark.parametrize(("contract_type", "ip", "vat", "cit"), [
    ("consulting", [], True, False),
    ("service.intermediary", [], False, False),
    ("license.technical_secret", [{"kind": "trade_secret", "number": "TS-2026-01"}], True, True),
])
async def test_the_certificate_names_the_benefits_the_type_may_unlock(
        market: Market, contract_type: str, ip: list, vat: bool, cit: bool) -> None:
    parties = await new_parties(market, "TJ", "HE")
    subject = {"consulting": "新能源汽车电池回收技术咨询报告与可行性论证",
               "service.intermediary": "促成锂电材料企业与研究院成果对接的技术中介",
               "license.technical_secret": "正极烧结工艺技术秘密使用许可及工艺包交付"}
    deal = await registered_deal(market, parties, type=contract_type, ip=ip,
                                 subject=subject[contract_type])
    benefits = {b["code"]: b for b in deal["certificate"]["tax_benefits"]}
    assert benefits["vat_exemption"]["applicable"] is vat
    assert benefits["cit_transfer_income_relief"]["applicable"] is cit
    assert all(b["description_zh"] and b["description_en"] for b in benefits.values())


@pytest.mark.parametrize(("number", "status"), [
    ("1100002026999999", 404),
    ("110000202600000", 422),  # 15 digits
    ("1100002026000000", 422),  # sequence 0 does not exist
    ("１１０００02026000001", 422),  # full-width digits
    ("abc", 422),
])
async def test_unknown_or_malformed_numbers(market: Market, number: str, status: int) -> None:
    async with market.client("deals") as client:
        answer = await client.get(f"/registrations/{number}", params={"code": "0" * 20})
    assert answer.status_code == status
    assert answer.headers["content-type"].startswith("application/problem+json")
