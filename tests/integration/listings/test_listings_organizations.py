"""Organisations: regions by short or GB/T 2260 code, kinds, the small-firm flag and the
high-tech certificate recognised in all three regions; reads and filters."""

from __future__ import annotations

import uuid

from tests.support.data import organization
from tests.support.listings import events_of, register
from tests.support.market import Market, auth


async def test_gb_code_region_and_a_certificate_recognised_everywhere(market: Market) -> None:
    body = {**organization("TJ", "enterprise", small_firm=True), "region": "120000",
            "high_tech_cert": {"issuing_region": "120000", "number": "GR202312000123",
                               "valid_until": "2027-12-01"}}
    async with market.client("listings") as client:
        response = await client.post("/organizations", json=body, headers=auth("operator", "TJ"))
    assert response.status_code == 201, response.text
    org = response.json()
    assert org["region"] == "TJ" and org["small_firm"] is True and org["version"] == 1
    assert org["high_tech_cert"] == {"issuing_region": "TJ", "number": "GR202312000123",
                                     "valid_until": "2027-12-01",
                                     "recognised_in": ["BJ", "HE", "TJ"]}
    [(kind, data)] = await events_of(market, org["id"])
    assert kind == "organization.registered" and data["high_tech_cert"]["issuing_region"] == "TJ"


async def test_unknown_certificate_region_is_named(market: Market) -> None:
    body = {**organization("BJ"), "high_tech_cert": {"issuing_region": "SH",
                                                     "number": "GR2023310001",
                                                     "valid_until": "2027-01-01"}}
    async with market.client("listings") as client:
        response = await client.post("/organizations", json=body, headers=auth("operator", "BJ"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "high_tech_cert.issuing_region"


async def test_an_operator_registers_only_in_its_region(market: Market) -> None:
    async with market.client("listings") as client:
        response = await client.post("/organizations", json=organization("HE"),
                                     headers=auth("operator", "BJ"))
    assert response.status_code == 403


async def test_read_and_filter(market: Market) -> None:
    lab = await register(market, "HE", "lab")
    async with market.client("listings") as client:
        read = await client.get(f"/organizations/{lab}", headers=auth("provider", org=lab))
        missing = await client.get(f"/organizations/{uuid.uuid4()}", headers=auth("service"))
        labs, cursor, pages = [], None, 0
        while pages < 50:
            params = {"region": "130000", "kind": "lab", "limit": "200",
                      **({"cursor": cursor} if cursor else {})}
            page = (await client.get("/organizations", params=params,
                                     headers=auth("enterprise"))).json()
            labs += page["items"]
            cursor, pages = page["next_cursor"], pages + 1
            if cursor is None:
                break
    assert read.status_code == 200 and read.json()["kind"] == "lab"
    assert missing.status_code == 404
    assert lab in {o["id"] for o in labs}
    assert {(o["region"], o["kind"]) for o in labs} == {("HE", "lab")}
