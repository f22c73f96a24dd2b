"""Every movement emits its event on vouchers.events (CloudEvents, key = aggregate id)."""

from __future__ import annotations

import time
import uuid

import orjson
from aiokafka import AIOKafkaConsumer

from shared.events.catalogue import lookup
from tests.support.vouchers.world import VouchersWorld, operator


async def test_a_voucher_story_on_the_topic(world: VouchersWorld) -> None:
    firm = await world.organization("HE")
    lab = await world.organization("BJ", kind="lab", small_firm=False)
    deal = await world.sign(lab, "BJ", firm, "HE", tech_amount_fen=1_000_000)
    async with world.client() as client:
        program = await world.open_program(client, "HE")
        voucher = await world.issue(client, program, firm, 200_000)
        kept = (await world.reserve(client, voucher, deal, 50_000)).json()
        dropped = (await world.reserve(client, voucher, deal, 10_000)).json()
        await world.register(deal)
        assert (await world.redeem(client, kept, 45_000)).status_code == 200
        assert (await world.release(client, dropped)).status_code == 200
        assert (await client.post(f"/settlements/{lab}/pay",
                                  headers=operator("HE"))).status_code == 200
    wanted = {program["id"], voucher["id"]}
    seen = await collect(world, lambda e: e["subject"] in wanted
                         or e["data"].get("provider_org_id") == str(lab), count=7)
    assert [e["type"] for e in seen] == ["program.opened", "voucher.issued", "voucher.reserved",
                                         "voucher.reserved", "voucher.redeemed",
                                         "voucher.released", "settlement.paid"]
    for event in seen:
        catalogued = lookup(event["type"])
        assert catalogued is not None
        catalogued.model_validate(event["data"])  # the data is what the catalogue says
        assert event["source"] == "/vouchers"
        assert event["dataschema"] == catalogued.dataschema()
    redeemed = next(e for e in seen if e["type"] == "voucher.redeemed")["data"]
    assert (redeemed["amount_fen"], redeemed["released_fen"]) == (45_000, 5_000)
    paid = seen[-1]["data"]
    assert (paid["amount_fen"], paid["issuer_region"], paid["provider_region"]) == (
        45_000, "HE", "BJ")


async def collect(world: VouchersWorld, wanted: object, count: int,
                  timeout: float = 30) -> list[dict]:
    """The matching events of vouchers.events, in publication order per key."""
    consumer = AIOKafkaConsumer("vouchers.events", bootstrap_servers=world.bootstrap,
                                group_id=f"test-{uuid.uuid4()}", auto_offset_reset="earliest",
                                fetch_max_wait_ms=10)
    await consumer.start()
    found: list[tuple[int, dict]] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200)
            for records in batch.values():
                for record in records:
                    event = orjson.loads(record.value)
                    if wanted(event):  # type: ignore[operator]
                        assert record.key == event["subject"].encode()
                        found.append((record.timestamp, event))
            if len(found) >= count and not batch:
                break
    finally:
        await consumer.stop()
    return [e for _, e in sorted(found, key=lambda f: (f[0], _order(f[1]["type"])))]


def _order(kind: str) -> int:
    story = ["program.opened", "voucher.issued", "voucher.reserved", "voucher.redeemed",
             "voucher.released", "settlement.paid"]
    return story.index(kind)
