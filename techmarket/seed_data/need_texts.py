"""Titles and descriptions of enterprises' technology needs, in natural Chinese."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from techmarket.seed_data.offer_texts import full_topic_title, modes_text
from techmarket.seed_data.places import REGION_NAMES
from techmarket.seed_data.results import RESULT_KINDS
from techmarket.seed_data.vocabulary import IndustryWords, Topic
from techmarket.seed_data.wording import numbers

_TITLES = (
    "征集{full}",
    "寻求{full}合作",
    "{full}需求",
    "委托开发{full}",
    "{name}技术攻关",
    "{name}难题求解",
)
_COMPANY_FACTS = (
    "年产值约{k}亿元",
    "现有员工{m}人，其中研发人员约占两成",
    "是省级专精特新中小企业",
    "产品主要销往京津冀及华北地区",
)


def need_title(rng: random.Random, topic: Topic) -> str:
    return rng.choice(_TITLES).format(full=full_topic_title(rng, topic), name=topic.name)


def need_description(
    rng: random.Random,
    topic: Topic,
    words: IndustryWords,
    buyer: Mapping[str, Any],
    need: Mapping[str, Any],
) -> str:
    kind = RESULT_KINDS[topic.result]
    figures = numbers(rng)
    first, second = rng.sample(kind.metrics, 2)
    first_pain, second_pain = _two(rng, kind.pains)
    return (
        f"{buyer['name']}主要从事{rng.choice(words.business)}，"
        f"{rng.choice(_COMPANY_FACTS).format(**figures)}。"
        f"目前公司在{rng.choice(words.scenes)}相关业务中{first_pain}，{second_pain}，"
        f"亟需引进{topic.name}相关技术。\n\n"
        f"需求内容：希望合作方提供成熟可靠的技术方案，协助完成{kind.deliverable}。\n"
        f"期望指标：{first.format(**figures)}；{second.format(**figures)}。\n"
        f"合作方式：{modes_text(need['modes'])}，{_budget_text(need)}，"
        f"希望在{rng.choice((6, 9, 12, 18, 24))}个月内完成。\n"
        f"{_region_text(need['cross_region_ok'], buyer['region'])}"
    )


def _two(rng: random.Random, phrases: tuple[str, ...]) -> tuple[str, str]:
    first = rng.choice(phrases)
    rest = [p for p in phrases if p != first]
    return first, (rng.choice(rest) if rest else "技术储备不足")


def _budget_text(need: Mapping[str, Any]) -> str:
    low, high = need["budget_min_fen"], need["budget_max_fen"]
    return f"预算{low // 1_000_000}万至{high // 1_000_000}万元"


def _region_text(cross_region_ok: bool, region: str) -> str:
    if cross_region_ok:
        return "欢迎京津冀及全国高校、科研院所和科技企业对接。"
    return f"优先与{REGION_NAMES.get(region, '本地')}本地单位合作，便于现场调试与服务。"
