"""Brokers: registered by an operator of their region, read by anyone (the deals service
reads them through the API), changed with If-Match; events broker.registered/updated."""

from __future__ import annotations

import uuid

from tests.support.listings import broker_body, broker_desk, count, events_of, register
from tests.support.market import Market, auth


async def test_operator_registers_a_broker_and_its_event_is_recorded(market: Market) -> None:
    agency = await register(market, "TJ", "broker_agency")
    clients = [await register(market, "TJ", "lab"), await register(market, "HE", "enterprise")]
    body = broker_body("120000", agency, clients)  # GB/T 2260 code answers the short code
    async with market.client("listings") as client:
        response = await client.post("/brokers", json=body, headers=auth("operator", "TJ"))
        assert response.status_code == 201, response.text
        broker = response.json()
        read = await client.get(f"/brokers/{broker['id']}", headers=auth("service"))
    assert broker["broker_id"] == broker["id"] and broker["version"] == 1
    assert broker["region"] == "TJ" and broker["represents"] == clients
    assert broker["agency_org_id"] == agency and broker["created_at"]
    assert read.status_code == 200 and read.json() == broker
    [(kind, data)] = await events_of(market, broker["id"])
    assert kind == "broker.registered"
    assert data["represents"] == clients and data["certificate_no"] == body["certificate_no"]


async def test_agency_must_be_a_broker_agency(market: Market) -> None:
    university = await register(market, "BJ", "university")
    async with market.client("listings") as client:
        response = await client.post("/brokers", json=broker_body("BJ", university, []),
                                     headers=auth("operator", "BJ"))
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "agency_org_id", "code": "not_broker_agency",
        "message": "is a university, not a broker_agency"}


async def test_represented_organizations_must_exist(market: Market) -> None:
    agency = await register(market, "BJ", "broker_agency")
    known = await register(market, "BJ")
    before = await count(market, "brokers")
    async with market.client("listings") as client:
        response = await client.post(
            "/brokers", json=broker_body("BJ", agency, [known, str(uuid.uuid4()), known]),
            headers=auth("operator", "BJ"))
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("represents[1]", "unknown_organization"), ("represents[2]", "duplicate")]
    assert await count(market, "brokers") == before


async def test_only_an_operator_of_the_brokers_region_registers_it(market: Market) -> None:
    agency = await register(market, "HE", "broker_agency")
    async with market.client("listings") as client:
        other_region = await client.post("/brokers", json=broker_body("HE", agency, []),
                                         headers=auth("operator", "BJ"))
        broker_role = await client.post("/brokers", json=broker_body("HE", agency, []),
                                        headers=auth("broker", "HE"))
    assert other_region.status_code == 403 and broker_role.status_code == 403


async def test_certificate_number_is_unique(market: Market) -> None:
    agency = await register(market, "BJ", "broker_agency")
    body = broker_body("BJ", agency, [])
    async with market.client("listings") as client:
        first = await client.post("/brokers", json=body, headers=auth("operator", "BJ"))
        again = await client.post("/brokers", json={**body, "name": "李明"},
                                  headers=auth("operator", "BJ"))
    assert first.status_code == 201 and again.status_code == 409


async def test_unknown_broker_is_404(market: Market) -> None:
    async with market.client("listings") as client:
        response = await client.get(f"/brokers/{uuid.uuid4()}", headers=auth("enterprise"))
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_representation_changes_with_if_match_and_broker_updated(market: Market) -> None:
    desk = await broker_desk(market, "HE")
    newcomer = await register(market, "HE", "institute")
    path, operator = f"/brokers/{desk.broker_id}", auth("operator", "HE")
    change = {"represents": [newcomer]}
    async with market.client("listings") as client:
        missing = await client.patch(path, json=change, headers=operator)
        stale = await client.patch(path, json=change, headers={**operator, "If-Match": '"7"'})
        foreign = await client.patch(path, json=change,
                                     headers={**auth("operator", "BJ"), "If-Match": '"1"'})
        changed = await client.patch(path, json=change, headers={**operator, "If-Match": '"1"'})
    assert (missing.status_code, stale.status_code, foreign.status_code) == (428, 412, 403)
    assert changed.status_code == 200, changed.text
    assert changed.json()["represents"] == [newcomer] and changed.json()["version"] == 2
    kinds = [(kind, data["version"], data["represents"])
             for kind, data in await events_of(market, desk.broker_id)]
    assert kinds == [("broker.registered", 1, desk.clients), ("broker.updated", 2, [newcomer])]


async def test_brokers_are_listed_by_agency(market: Market) -> None:
    desk = await broker_desk(market, "TJ")
    async with market.client("listings") as client:
        response = await client.get("/brokers", params={"agency_org_id": desk.agency_id},
                                    headers=auth("provider"))
    assert response.status_code == 200
    assert [b["id"] for b in response.json()["items"]] == [desk.broker_id]
