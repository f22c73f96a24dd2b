"""Titles, summaries and descriptions of technology and service offers, in natural Chinese."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from services.listings.domain.catalogue import INDUSTRIES_BY_CODE, trl_level
from techmarket.seed_data.lab_services import CATEGORY_TERMS, LabService
from techmarket.seed_data.results import RESULT_KINDS
from techmarket.seed_data.vocabulary import IndustryWords, Topic
from techmarket.seed_data.wording import MODE_NAMES, STAGE_BY_TRL

_TEAMS = ("课题组", "研发团队", "项目团队", "创新团队")
_IP_LABELS = {
    "patent_application": "发明专利申请",
    "software_copyright": "软件著作权",
    "ic_layout": "集成电路布图设计登记",
    "plant_variety": "植物新品种权",
    "trade_secret": "技术秘密",
}


def full_topic_title(rng: random.Random, topic: Topic) -> str:
    return topic.name + rng.choice(topic.endings or RESULT_KINDS[topic.result].endings)


def offer_title(rng: random.Random, topic: Topic) -> str:
    qualifier = rng.choice(RESULT_KINDS[topic.result].qualifiers)
    core = qualifier.removeprefix("基于").removesuffix("的").removesuffix("化")
    # "智能化多杆合一智慧路灯" or "基于人工智能的...智能识别" read badly: say it once.
    if core and (core in topic.name or ("智能" in core and "智能" in topic.name)):
        qualifier = ""
    return qualifier + full_topic_title(rng, topic)


def technology_summary(
    rng: random.Random,
    topic: Topic,
    words: IndustryWords,
    owner: str,
    trl: int,
    figures: Mapping[str, int],
) -> str:
    kind = RESULT_KINDS[topic.result]
    first, second = rng.sample(kind.metrics, 2)
    return (
        f"{owner}{rng.choice(_TEAMS)}面向{rng.choice(words.scenes)}等应用场景，"
        f"围绕{topic.name}开展攻关，"
        f"{rng.choice(kind.approaches)}，{first.format(**figures)}，{second.format(**figures)}。"
        f"目前已{STAGE_BY_TRL[trl]}。"
    )


def technology_description(
    rng: random.Random,
    topic: Topic,
    words: IndustryWords,
    offer: Mapping[str, Any],
    figures: Mapping[str, int],
) -> str:
    kind = RESULT_KINDS[topic.result]
    trl = offer["trl"]
    scenes = "、".join(rng.sample(words.scenes, 2))
    metrics = "\n".join(
        f"{n}. {m.format(**figures)}" for n, m in enumerate(rng.sample(kind.metrics, 3), 1)
    )
    return (
        f"一、技术背景\n{scenes}等领域对{topic.name}的需求快速增长，"
        f"但{rng.choice(kind.pains)}，亟需性能可靠、成本可控的国产化方案。\n\n"
        f"二、技术方案\n{'；'.join(rng.sample(kind.approaches, 2))}。\n\n"
        f"三、主要技术指标\n{metrics}\n\n"
        f"四、知识产权\n{ip_sentence(offer['ip'])}\n\n"
        f"五、成熟度与合作方式\n技术就绪度为{trl}级（{trl_level(trl).name_zh}），"
        f"目前已{STAGE_BY_TRL[trl]}。可采用{modes_text(offer['modes'])}等方式合作，"
        f"{price_text(offer['asking_price_fen'])}。"
    )


def service_texts(
    rng: random.Random, service: LabService, lab: str, price_fen: int
) -> tuple[str, str, str]:
    _, _, delivery = CATEGORY_TERMS[service.category]
    days = rng.randint(3, 15)
    industry = INDUSTRIES_BY_CODE[service.industry].name_zh
    summary = (
        f"{lab}面向{industry}领域企业提供{service.title}服务，{delivery}，"
        f"常规项目{days}个工作日内完成。京津冀三地创新券均可使用。"
    )
    description = (
        f"一、服务内容\n{service.title}，覆盖{'、'.join(service.keywords)}等项目，"
        f"可根据委托方需求定制方案。\n\n二、服务能力\n{_capability(rng, service.category)}\n\n"
        f"三、服务周期与收费\n常规项目{days}个工作日出具结果，加急可缩短至"
        f"{max(1, days // 3)}个工作日。服务包价格{price_fen // 100}元起，按项目数量据实结算。\n\n"
        "四、创新券\n本服务已纳入创新券服务机构目录，企业可使用创新券抵扣部分费用。"
    )
    return service.title + rng.choice(("", "", "服务", "（可用创新券）")), summary, description


def _capability(rng: random.Random, category: str) -> str:
    if category == "testing":
        return f"实验室通过检验检测机构资质认定，配备{rng.randint(20, 120)}台套专业检测设备。"
    if category == "instrument":
        return f"平台拥有{rng.randint(10, 60)}台套大型科学仪器，面向社会开放共享。"
    return f"拥有{rng.randint(8, 40)}人的专业设计与仿真团队，熟悉主流设计与分析软件。"


def ip_sentence(items: Sequence[dict[str, Any]]) -> str:
    if not items:
        return "相关技术尚未登记知识产权，以技术秘密方式保护。"
    counts = Counter(_ip_label(item) for item in items)
    return "拥有" + "、".join(f"{label}{n}项" for label, n in counts.items()) + "。"


def _ip_label(item: dict[str, Any]) -> str:
    if item["kind"] == "patent":
        # ZL + year(4) + type digit: 2 is a utility model, anything else counted as invention.
        return "授权实用新型专利" if item["number"][6] == "2" else "授权发明专利"
    return _IP_LABELS[item["kind"]]


def modes_text(modes: Sequence[str]) -> str:
    return "、".join(MODE_NAMES[mode] for mode in modes)


def price_text(price_fen: int | None) -> str:
    if price_fen is None:
        return "价格面议"
    return f"意向价格{price_fen // 1_000_000}万元"
