"""The market's fixed vocabularies: industries, transaction modes, kinds and the TRL scale.

Regions are deliberately absent: they are data in the regions table, not code.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Industry(Term):
    group: str


INDUSTRY_GROUPS: tuple[Term, ...] = (
    Term("strategic_emerging", "战略性新兴产业", "Strategic emerging industries"),
    Term("traditional", "传统产业", "Traditional industries"),
    Term("eco_livelihood", "生态与民生领域", "Ecology and livelihood"),
)

_SE, _TR, _EL = (group.code for group in INDUSTRY_GROUPS)
INDUSTRIES: tuple[Industry, ...] = (
    Industry("new_materials", "新材料", "New materials", _SE),
    Industry("biomedicine", "生物医药", "Biomedicine", _SE),
    Industry("energy_saving_environmental", "节能环保", "Energy saving and environment", _SE),
    Industry("new_energy_vehicles", "新能源汽车", "New energy vehicles", _SE),
    Industry("modern_services", "现代服务业", "Modern services", _SE),
    Industry("next_gen_it", "新一代信息技术", "Next-generation IT", _SE),
    Industry("high_end_equipment", "高端装备制造", "High-end equipment", _SE),
    Industry("steel", "钢铁", "Steel", _TR),
    Industry("power", "电力", "Electric power", _TR),
    Industry("building_materials", "建材", "Building materials", _TR),
    Industry("textiles", "纺织", "Textiles", _TR),
    Industry("food_safety", "食品安全", "Food safety", _EL),
    Industry("water_protection", "水资源保护", "Water protection", _EL),
    Industry("mineral_resources", "矿产资源", "Mineral resources", _EL),
    Industry("green_energy", "绿色能源", "Green energy", _EL),
    Industry("air_quality", "大气污染防治", "Air quality", _EL),
    Industry("smart_tourism", "智慧旅游", "Smart tourism", _EL),
    Industry("healthcare", "医疗健康", "Healthcare", _EL),
    Industry("transportation", "交通运输", "Transportation", _EL),
    Industry("urban_management", "城市管理", "Urban management", _EL),
)
INDUSTRY_CODES = frozenset(industry.code for industry in INDUSTRIES)
INDUSTRIES_BY_CODE = {industry.code: industry for industry in INDUSTRIES}

TRANSACTION_MODES: tuple[Term, ...] = (
    Term("transfer", "技术转让", "Transfer"),
    Term("license", "技术许可", "Licence"),
    Term("co_development", "合作开发", "Joint development"),
    Term("equity", "作价入股", "Equity contribution"),
    Term("service", "技术服务", "Technical service"),
    Term("consulting", "技术咨询", "Technical consulting"),
)
MODE_CODES = frozenset(mode.code for mode in TRANSACTION_MODES)

ORGANIZATION_KINDS: tuple[Term, ...] = (
    Term("enterprise", "企业", "Enterprise"),
    Term("university", "高等院校", "University"),
    Term("institute", "科研院所", "Research institute"),
    Term("lab", "检验检测与仪器平台", "Laboratory or instrument platform"),
    Term("broker_agency", "技术转移服务机构", "Technology-transfer agency"),
)
ORGANIZATION_KIND_CODES = frozenset(kind.code for kind in ORGANIZATION_KINDS)

OFFER_KINDS: tuple[Term, ...] = (
    Term("technology", "技术成果", "Technology offer"),
    Term("service", "技术服务", "Service offer"),
)
OFFER_KIND_CODES = frozenset(kind.code for kind in OFFER_KINDS)


@dataclass(frozen=True)
class TrlLevel:
    level: int
    name_zh: str
    name_en: str


# The nine readiness levels used for project evaluation in GB/T 22900, in short form.
TRL_LEVELS: tuple[TrlLevel, ...] = (
    TrlLevel(1, "基本原理清晰", "Basic principles observed"),
    TrlLevel(2, "形成技术概念和应用设想", "Technology concept and application formulated"),
    TrlLevel(3, "关键功能通过可行性验证", "Key functions proven feasible"),
    TrlLevel(4, "实验室环境下完成原理样品验证", "Validated in the laboratory"),
    TrlLevel(5, "相关环境下完成部件验证", "Components validated in a relevant environment"),
    TrlLevel(6, "相关环境下完成系统样机演示", "Prototype demonstrated in a relevant environment"),
    TrlLevel(7, "实际使用环境下完成样机试验", "Prototype tested in the operational environment"),
    TrlLevel(8, "系统定型并通过试验验证", "System complete and qualified"),
    TrlLevel(9, "实际应用中成功运行", "Proven in actual operation"),
)
TRL_MIN, TRL_MAX = TRL_LEVELS[0].level, TRL_LEVELS[-1].level


def trl_level(level: int) -> TrlLevel:
    if not TRL_MIN <= level <= TRL_MAX:
        raise ValueError(f"TRL must be {TRL_MIN}-{TRL_MAX}, got {level}")
    return TRL_LEVELS[level - 1]
