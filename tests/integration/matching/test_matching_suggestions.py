"""match.suggested: the best matches of a just-published listing, through the outbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from shared.events.envelope import new_envelope
from shared.events.listings import OfferUpdated
from tests.support.market import Market, eventually
from tests.support.matching.feed import (
    TOPICS,
    Topic,
    code_word,
    consumed,
    matches,
    need_event,
    offer_event,
    pick_topic,
    produce,
    produce_envelopes,
    published,
)


async def _suggested(market: Market, need_id: str) -> list[dict[str, Any]]:
    rows = await market.fetch("matching", "SELECT envelope FROM outbox WHERE "
                              "type = 'match.suggested' AND key = $1 ORDER BY id", need_id)
    return [orjson.loads(row["envelope"])["data"] for row in rows]


async def _relayed(market: Market, need_id: str) -> bool:
    """Every suggestion of the need has been published to Kafka by the relay."""
    waiting = await market.fetchval(
        "matching", "SELECT count(*) FROM outbox WHERE type = 'match.suggested' AND key = $1 "
        "AND published_at IS NULL", need_id)
    return waiting == 0


async def test_publishing_a_need_suggests_its_best_offers(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    good, unrelated = offer_event(code, topic), offer_event(code_word(), _other(topic))
    await published(market, code, good)
    await produce(market, unrelated)
    need = need_event(code, topic)
    await produce(market, need)
    found = await eventually(lambda: _suggested(market, need.need_id))
    assert good.offer_id in [s["offer_id"] for s in found]
    assert unrelated.offer_id not in [s["offer_id"] for s in found]
    assert len(found) <= 3
    first = next(s for s in found if s["offer_id"] == good.offer_id)
    assert first["trigger"] == "need.published" and 0.45 <= first["score"] <= 1
    assert code in first["matched_terms"]
    await eventually(lambda: _relayed(market, need.need_id))


async def test_publishing_an_offer_suggests_it_to_waiting_needs(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    need = need_event(code, topic)
    await produce(market, need)
    await eventually(lambda: market.fetchval(
        "matching", "SELECT count(*) FROM needs WHERE id = $1::uuid", need.need_id))
    offer = offer_event(code, topic)
    await produce(market, offer)

    async def offer_suggested() -> list[dict[str, Any]]:
        return [s for s in await _suggested(market, need.need_id)
                if s["offer_id"] == offer.offer_id]

    found = await eventually(offer_suggested)
    assert [s["trigger"] for s in found] == ["offer.published"]


async def test_an_update_suggests_nothing_new(market: Market) -> None:
    code, topic = code_word(), pick_topic()
    need = need_event(code, topic)
    await produce(market, need)
    offer = offer_event(code, topic)
    await published(market, code, offer)
    before = await eventually(lambda: _suggested(market, need.need_id))
    update = offer_event(code, topic, cls=OfferUpdated, offer_id=offer.offer_id, version=3,
                         summary="更新了技术指标。")
    await consumed(market, await produce(market, update))
    after = await _suggested(market, need.need_id)
    assert [s for s in after if s["offer_id"] == offer.offer_id] == \
        [s for s in before if s["offer_id"] == offer.offer_id]


async def test_an_old_publication_caught_up_on_suggests_nothing(market: Market) -> None:
    """Catching up on a long topic must not notify brokers about last month's listings."""
    code, topic = code_word(), pick_topic()
    await published(market, code, offer_event(code, topic))
    envelope = new_envelope(need_event(code, topic))
    envelope.time = datetime.now(UTC) - timedelta(days=2)
    await produce_envelopes(market, envelope, topic="listings.events")
    await consumed(market, [envelope.id])
    assert await _suggested(market, envelope.subject) == []
    assert (await matches(market, "need", envelope.subject))["items"]  # yet it is matched


def _other(topic: Topic) -> Topic:
    return next(t for t in TOPICS if t is not topic)
