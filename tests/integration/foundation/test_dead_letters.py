"""A poison event lands in the DLQ with its error; the partition keeps flowing."""

from __future__ import annotations

import uuid

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from tests.support.data import organization
from tests.support.market import Market, auth, eventually


def _bad_organization_event() -> bytes:
    return orjson.dumps({
        "specversion": "1.0", "id": str(uuid.uuid4()), "source": "/listings",
        "type": "organization.registered", "time": "2026-11-28T00:00:00Z",
        "subject": "x", "data": {"organization_id": "not-a-uuid"},
    })


async def test_poison_goes_to_dlq_and_partition_flows(market: Market) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=market.stack.bootstrap,
                                enable_idempotence=False)
    await producer.start()
    try:
        for partition in range(4):
            await producer.send_and_wait("listings.events", b"\x00not json", partition=partition)
            await producer.send_and_wait("listings.events", _bad_organization_event(),
                                         partition=partition)
    finally:
        await producer.stop()

    body = organization("BJ")
    async with market.client("listings") as client:
        created = await client.post("/organizations", json=body, headers=auth("broker"))
    org_id = uuid.UUID(created.json()["id"])
    await eventually(lambda: market.fetch(
        "deals", "SELECT 1 FROM organizations WHERE id=$1", org_id), timeout=60)

    consumer = AIOKafkaConsumer("listings.events.dlq", bootstrap_servers=market.stack.bootstrap,
                                group_id=f"test-{uuid.uuid4()}", auto_offset_reset="earliest",
                                fetch_max_wait_ms=10)
    await consumer.start()
    dead: list = []
    try:
        async def collect() -> bool:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                dead.extend(records)
            consumers = {dict(r.headers).get("dlq-consumer") for r in dead}
            return {b"deals", b"vouchers"} <= consumers and len(dead) >= 16

        await eventually(collect, timeout=60)
    finally:
        await consumer.stop()
    errors = [dict(r.headers)["dlq-error"].decode() for r in dead]
    assert any("not a CloudEvent" in e for e in errors)
    assert any("organization_id" in e for e in errors)
