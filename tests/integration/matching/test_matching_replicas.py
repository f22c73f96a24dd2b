"""Several matching processes (MATCHING_WORKERS): each is a replica with its own index, fed
by its own consumer group, so whichever process a request reaches knows every listing."""

from __future__ import annotations

import asyncio

from services.matching.use_cases.replicas import claim_slot
from tests.support.market import Market, eventually, new_stack
from tests.support.matching.feed import BROKER, code_word, ids, offer_event, pick_topic, produce


async def test_replicas_take_distinct_slots_and_a_freed_slot_is_taken_again(
        market: Market) -> None:
    url = market.stack.service_database_url("matching")
    second, third = await claim_slot(url), await claim_slot(url)
    try:
        assert (second.number, third.number) == (2, 3)  # the running service holds 1
        assert second.consumer_group("matching") == "matching-2"
        await second.release()
        second = await claim_slot(url)
        assert second.number == 2
    finally:
        await second.release()
        await third.release()


async def test_every_worker_follows_the_whole_feed() -> None:
    stack = await asyncio.to_thread(new_stack, ("matching",), {"MATCHING_WORKERS": "2"})
    try:
        market = Market(stack)
        code = code_word()
        offers = [offer_event(code, pick_topic()) for _ in range(3)]
        event_ids = await produce(market, *offers)

        async def both_groups_consumed() -> bool:
            consumers = await market.fetch(
                "matching", "SELECT consumer, count(*) FROM inbox WHERE event_id = ANY($1) "
                "GROUP BY consumer", event_ids)
            return {row[0]: row[1] for row in consumers} == {"matching": 3, "matching-2": 3}

        await eventually(both_groups_consumed, timeout=60)
        expected = {offer.offer_id for offer in offers}

        async def every_answer_complete() -> bool:
            for _ in range(16):  # a fresh connection each time: both processes answer
                async with market.client("matching") as client:
                    response = await client.post("/search", json={"text": code},
                                                 params={"min_score": 0}, headers=BROKER)
                if set(ids(response.json())) != expected:
                    return False
            return True

        await eventually(every_answer_complete, timeout=30)
    finally:
        await asyncio.to_thread(stack.stop)
