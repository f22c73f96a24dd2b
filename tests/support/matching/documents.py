"""Listings that each test bends in one way, so a failing test has one cause."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from services.matching.domain import NeedDoc, OfferDoc

NOW = datetime(2026, 5, 1, tzinfo=UTC)
YUAN = 100  # fen

BATTERY_OFFER = OfferDoc(
    id="offer-battery",
    title="高镍三元锂离子电池正极材料制备技术",
    description="采用共沉淀法制备高镍三元正极材料，提升锂离子电池能量密度与循环寿命。",
    keywords=("正极材料", "锂离子电池"),
    region="BJ",
    industry="new_energy_vehicles",
    trl=6,
    asking_price_fen=2_000_000 * YUAN,
    modes=frozenset({"transfer", "license"}),
    published_at=NOW - timedelta(days=10),
)

BATTERY_NEED = NeedDoc(
    id="need-battery",
    title="寻求锂电池正极材料量产技术",
    description="我公司生产动力锂电池，需要提高正极材料的能量密度，希望引进成熟工艺。",
    keywords=("锂电池",),
    region="TJ",
    industry="new_energy_vehicles",
    min_trl=5,
    budget_min_fen=1_000_000 * YUAN,
    budget_max_fen=3_000_000 * YUAN,
    modes=frozenset({"transfer"}),
    cross_region_ok=True,
    published_at=NOW - timedelta(days=3),
)

UNRELATED_OFFERS = (
    OfferDoc(
        id="offer-water",
        title="膜生物反应器污水处理工艺",
        description="针对市政污水，采用膜生物反应器去除氨氮和总磷，出水达到一级A标准。",
        region="HE",
        industry="water_protection",
        trl=7,
    ),
    OfferDoc(
        id="offer-steel",
        title="高强度钢板激光焊接工艺",
        description="面向汽车车身的高强度钢板，激光焊接接头强度高、变形小。",
        region="TJ",
        industry="steel",
        trl=8,
    ),
    OfferDoc(
        id="offer-tourism",
        title="景区客流预测与智慧导览平台",
        description="基于手机信令数据预测景区客流，为游客推荐游览线路。",
        region="BJ",
        industry="smart_tourism",
        trl=9,
    ),
)


def offer(**changes: Any) -> OfferDoc:
    return replace(BATTERY_OFFER, **changes)


def need(**changes: Any) -> NeedDoc:
    return replace(BATTERY_NEED, **changes)


def variants(count: int, **changes: Any) -> list[OfferDoc]:
    """Identical battery offers under different ids (and the given changes)."""
    return [offer(id=f"offer-{i}", **changes) for i in range(count)]
