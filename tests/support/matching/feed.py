"""Driving matching the way listings does: listing events produced onto `listings.events`.

Every listing a test makes carries a unique Latin code word in its text, so a search for
that word finds that test's listings only, whatever else the shared market holds.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from aiokafka import AIOKafkaProducer

from shared.events.catalogue import IntegrationEvent
from shared.events.envelope import CloudEvent, new_envelope
from shared.events.listings import (
    NeedPublished,
    NeedSnapshot,
    OfferPublished,
    OfferSnapshot,
    OfferWithdrawn,
)
from tests.support.market import Market, auth, eventually

BROKER = auth("broker", "BJ")


@dataclass(frozen=True)
class Topic:
    """An offer and a need about the same technology, worded differently."""

    offer_title: str
    offer_text: str
    keywords: tuple[str, ...]
    need_title: str
    need_text: str


TOPICS = (
    Topic("钙钛矿叠层太阳能电池封装技术",
          "采用原子层沉积阻隔膜封装钙钛矿叠层电池，组件湿热寿命显著延长。",
          ("钙钛矿", "封装"), "征集钙钛矿太阳能电池封装技术",
          "我公司生产光伏组件，钙钛矿电池封装后寿命不足，寻求阻隔膜封装工艺。"),
    Topic("盾构机主轴承国产化设计与制造",
          "突破大直径盾构主轴承滚道淬火与精密磨削，寿命达到一万小时。",
          ("盾构机", "主轴承"), "寻求盾构机主轴承制造技术合作",
          "我公司承接隧道工程，进口盾构主轴承价格高、供货慢，希望引进国产主轴承的设计与制造工艺。"),
    Topic("秸秆生物炭基缓释肥制备工艺",
          "以玉米秸秆热解生物炭为载体，包膜缓释氮磷钾养分，减少化肥流失。",
          ("生物炭", "缓释肥"), "征集秸秆生物炭缓释肥生产技术",
          "我公司经营化肥生产，计划利用当地玉米秸秆制备生物炭缓释肥，需要成套工艺。"),
    Topic("结核分枝杆菌快速核酸检测试剂盒",
          "基于恒温扩增的结核分枝杆菌核酸检测，两小时出结果，灵敏度高。",
          ("结核", "核酸检测"), "寻求结核杆菌快速检测试剂技术",
          "我院检验科需要结核分枝杆菌的快速核酸检测方法，缩短诊断时间。"),
    Topic("高炉煤气余热回收发电系统",
          "回收高炉煤气显热与压力能，采用透平发电，吨铁节能十五千瓦时。",
          ("高炉煤气", "余热发电"), "征集钢铁厂高炉煤气余热利用技术",
          "我厂高炉煤气余热未充分利用，希望引进余热回收发电系统降低能耗。"),
    Topic("桥梁拉索磁致伸缩无损检测仪",
          "利用磁致伸缩导波检测斜拉桥拉索内部断丝与锈蚀，无需拆除护套。",
          ("拉索", "无损检测"), "寻求斜拉桥拉索断丝检测技术",
          "我单位养护多座斜拉桥，需要不拆护套即可检测拉索断丝锈蚀的无损检测设备。"),
    Topic("茶叶加工揉捻机智能控制系统",
          "根据茶叶含水率自动调节揉捻压力与时间，提高名优绿茶条索成形率。",
          ("揉捻机", "绿茶"), "征集绿茶揉捻智能化控制技术",
          "我公司加工名优绿茶，揉捻工序依赖人工经验，希望引进揉捻机智能控制系统。"),
    Topic("地铁隧道渗漏水图像识别巡检系统",
          "巡检车采集隧道衬砌图像，深度学习识别渗漏水与裂缝并自动定位。",
          ("渗漏水", "隧道巡检"), "寻求地铁隧道渗漏水智能巡检技术",
          "我公司负责地铁运营维护，隧道渗漏水巡检靠人工，希望引进图像识别巡检系统。"),
)


def code_word() -> str:
    """A word no other listing contains (Latin words are indexed whole)."""
    return f"zq{uuid.uuid4().hex[:10]}"


def pick_topic() -> Topic:
    """A topic at random: the shared market holds few listings on any one of them."""
    return random.choice(TOPICS)


def offer_event(code: str = "", topic: Topic | None = None, *,
                cls: type[OfferSnapshot] = OfferPublished, **changes: Any) -> OfferSnapshot:
    topic = topic or pick_topic()
    data: dict[str, Any] = {
        "offer_id": str(uuid.uuid4()), "owner_org_id": str(uuid.uuid4()), "kind": "technology",
        "title": f"{topic.offer_title} {code}", "summary": "", "description": topic.offer_text,
        "industry": "new_energy_vehicles", "keywords": list(topic.keywords), "trl": 6,
        "modes": ["license", "transfer"], "asking_price_fen": 150_000_000, "region": "BJ",
        "valid_until": date(2030, 1, 1), "status": "published", "version": 2,
        "published_at": datetime.now(UTC),
    }
    return cls(**{**data, **changes})


def need_event(code: str = "", topic: Topic | None = None, *,
               cls: type[NeedSnapshot] = NeedPublished, **changes: Any) -> NeedSnapshot:
    topic = topic or pick_topic()
    data: dict[str, Any] = {
        "need_id": str(uuid.uuid4()), "buyer_org_id": str(uuid.uuid4()),
        "title": f"{topic.need_title} {code}", "description": topic.need_text,
        "industry": "new_energy_vehicles", "keywords": list(topic.keywords), "min_trl": 5,
        "budget_min_fen": 100_000_000, "budget_max_fen": 200_000_000,
        "cross_region_ok": True, "modes": ["license"], "region": "TJ",
        "deadline": date(2030, 1, 1), "status": "published", "version": 2,
        "published_at": datetime.now(UTC),
    }
    return cls(**{**data, **changes})


def withdrawn(offer: OfferSnapshot, version: int | None = None) -> OfferWithdrawn:
    return OfferWithdrawn(offer_id=offer.offer_id, status="withdrawn",
                          version=version or offer.version + 1, changed_at=datetime.now(UTC))


async def produce_envelopes(market: Market, *envelopes: CloudEvent, topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=market.stack.bootstrap,
                                enable_idempotence=False, linger_ms=5)
    await producer.start()
    try:
        sent = [await producer.send(topic, value=envelope.to_bytes(),
                                    key=envelope.subject.encode()) for envelope in envelopes]
        for delivery in sent:
            await delivery
    finally:
        await producer.stop()


async def produce(market: Market, *events: IntegrationEvent) -> list[uuid.UUID]:
    """Put events on their topic as the listings relay would; their envelope ids."""
    envelopes = [new_envelope(event) for event in events]
    await produce_envelopes(market, *envelopes, topic=events[0].topic)
    return [envelope.id for envelope in envelopes]


async def consumed(market: Market, event_ids: list[uuid.UUID], timeout: float = 30) -> None:
    """Wait until matching's inbox holds every one of these events."""
    async def all_in() -> bool:
        count = await market.fetchval(
            "matching", "SELECT count(*) FROM inbox WHERE event_id = ANY($1::uuid[])",
            event_ids)
        return bool(count == len(set(event_ids)))

    await eventually(all_in, timeout=timeout)


async def search(market: Market, body: dict[str, Any], **params: Any) -> dict[str, Any]:
    async with market.client("matching") as client:
        response = await client.post("/search", json=body, params=params, headers=BROKER)
    assert response.status_code == 200, response.text
    return dict(response.json())


async def matches(market: Market, kind: str, listing_id: str, **params: Any) -> dict[str, Any]:
    """The matches of a listing, waiting until matching has seen it (404 before)."""
    async def answered() -> dict[str, Any] | None:
        async with market.client("matching") as client:
            response = await client.get(f"/{kind}s/{listing_id}/matches", params=params,
                                        headers=BROKER)
        if response.status_code == 404:
            return None
        assert response.status_code == 200, response.text
        return dict(response.json())

    return dict(await eventually(answered))


async def published(market: Market, code: str, *offers: OfferSnapshot) -> None:
    """Publish offers carrying the code word and wait until a search finds them all."""
    await produce(market, *offers)
    await searchable(market, code, {offer.offer_id for offer in offers})


def own(answer: dict[str, Any], code: str, kind: str = "offer") -> dict[str, dict[str, Any]]:
    """The items of an answer that belong to one test (their title has its code word)."""
    return {item[f"{kind}_id"]: item for item in answer["items"]
            if code in item[kind]["title"]}


async def indexed(market: Market, kind: str = "offer") -> int:
    """How many listings of a kind the index ranks (from /metrics)."""
    async with market.client("matching") as client:
        text = (await client.get("/metrics")).text
    prefix = f'techmarket_matching_indexed_listings{{kind="{kind}"}} '
    line = next(line for line in text.splitlines() if line.startswith(prefix))
    return int(float(line.removeprefix(prefix)))


def ids(answer: dict[str, Any], field: str = "offer_id") -> list[str]:
    return [item[field] for item in answer["items"]]


async def searchable(market: Market, code: str, expected: set[str]) -> list[str]:
    """Wait until a search for the code word finds exactly these offers; their ranking."""
    async def found() -> tuple[list[str]] | None:
        ranked = ids(await search(market, {"text": code}, min_score=0))
        return (ranked,) if set(ranked) == expected else None

    return list((await eventually(found))[0])
