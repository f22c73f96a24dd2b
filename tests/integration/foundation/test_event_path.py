"""An organisation registered in listings reaches deals and vouchers exactly once."""

from __future__ import annotations

import uuid

import orjson
from aiokafka import AIOKafkaConsumer

from tests.support.data import organization
from tests.support.market import Market, auth, eventually


async def test_registration_reaches_every_replica_once(market: Market) -> None:
    body = organization("HE")
    async with market.client("listings") as client:
        created = await client.post("/organizations", json=body, headers=auth("broker", "HE"))
    assert created.status_code == 201, created.text
    org_id = uuid.UUID(created.json()["id"])

    for service in ("deals", "vouchers"):
        row = await eventually(lambda s=service: market.fetch(
            s, "SELECT name, region, small_firm FROM organizations WHERE id=$1", org_id))
        assert [tuple(r) for r in row] == [(body["name"], "HE", True)]
        inbox = await market.fetchval(
            service, "SELECT count(*) FROM inbox WHERE type='organization.registered' AND "
            "event_id = (SELECT event_id FROM inbox i WHERE i.consumer=$1 ORDER BY "
            "processed_at DESC LIMIT 1)", service)
        assert inbox == 1


async def test_event_on_topic_is_a_cloudevent(market: Market) -> None:
    body = organization("TJ")
    async with market.client("listings") as client:
        created = await client.post("/organizations", json=body, headers=auth("broker", "TJ"))
    org_id = created.json()["id"]
    consumer = AIOKafkaConsumer("listings.events", bootstrap_servers=market.stack.bootstrap,
                                group_id=f"test-{uuid.uuid4()}", auto_offset_reset="earliest",
                                fetch_max_wait_ms=10)
    await consumer.start()
    try:
        async def find() -> dict | None:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    try:  # other tests put poison on this topic on purpose
                        event = orjson.loads(record.value)
                    except orjson.JSONDecodeError:
                        continue
                    if event.get("subject") == org_id:
                        assert record.key == org_id.encode()
                        return event
            return None

        event = await eventually(find, timeout=30)
    finally:
        await consumer.stop()
    assert event["specversion"] == "1.0"
    assert event["type"] == "organization.registered"
    assert event["source"] == "/listings"
    assert event["dataschema"].endswith(":organization.registered:v1")
    assert event["data"]["credit_code"] == body["credit_code"]
    uuid.UUID(event["id"])
