"""What each kind of result looks like in the market: title endings, maturity, prices, texts.

Placeholders in the phrases ({p}, {q}, {y}, {z}, {s}, {h}, {k}, {m}, {t}) are filled by
``numbers()``; one set per listing keeps its summary and description consistent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class ResultKind:
    endings: tuple[str, ...]
    qualifiers: tuple[str, ...]
    trl: tuple[int, int]
    price_wan: tuple[int, int]  # asking price range in 万元 (10,000 yuan)
    modes: tuple[str, ...]
    approaches: tuple[str, ...]
    metrics: tuple[str, ...]
    pains: tuple[str, ...]
    deliverable: str


RESULT_KINDS: dict[str, ResultKind] = {
    "material": ResultKind(
        ("制备技术", "低成本规模化制备工艺", "及其制备方法"),
        ("", "", "高性能", "新型"),
        (3, 7),
        (50, 800),
        ("transfer", "license", "co_development", "equity"),
        (
            "通过组分设计与微观结构调控提升综合性能",
            "采用原位包覆与元素掺杂协同改性",
            "开发了低温短流程合成路线",
        ),
        (
            "主要性能指标较国内同类产品提升{p}%",
            "批次一致性偏差控制在{s}%以内",
            "原材料成本降低{q}%",
            "可在{t}℃下长期稳定服役",
        ),
        ("现有材料性能批次波动大", "关键原材料依赖进口", "产品成本居高不下"),
        "小试验证与中试放大",
    ),
    "process": ResultKind(
        ("关键技术", "成套工艺", "工艺技术"),
        ("", "", "绿色", "高效"),
        (4, 8),
        (80, 1200),
        ("transfer", "license", "co_development", "consulting"),
        (
            "以短流程替代传统多段处理，减少物料与能量损耗",
            "优化关键工序参数并实现全流程自动控制",
            "通过工艺路线重构与关键装备协同提升运行稳定性",
        ),
        (
            "综合能耗降低{p}%",
            "产品收率达到{y}%",
            "吨产品运行成本降低{q}%",
            "主要污染物排放浓度低于国家标准限值的{s}0%",
        ),
        ("生产能耗偏高", "副产物处置成本高", "现有工艺面临较大环保压力"),
        "工艺包编制与工程化应用",
    ),
    "equipment": ResultKind(
        ("系统", "成套装置", "装备"),
        ("", "", "智能化", "高可靠"),
        (5, 8),
        (60, 1500),
        ("transfer", "license", "co_development"),
        (
            "采用模块化结构设计与嵌入式智能控制",
            "融合多传感器数据实现状态自感知",
            "关键部件全部实现国产化替代",
        ),
        (
            "设备连续无故障运行超过{h}小时",
            "控制精度达到±{s}%",
            "能效较传统设备提升{p}%",
            "核心部件国产化率超过{y}%",
        ),
        ("设备自动化程度低", "人工成本持续上升", "现有设备故障率较高"),
        "样机研制与现场试用",
    ),
    "software": ResultKind(
        ("平台", "系统", "软件"),
        ("", "", "基于人工智能的", "基于大数据的"),
        (6, 9),
        (20, 400),
        ("license", "service", "co_development"),
        (
            "融合多源数据并构建机器学习模型",
            "采用微服务架构支持私有化与云端部署",
            "结合知识图谱与规则引擎实现智能决策",
        ),
        (
            "支持{k}万级终端并发接入",
            "模型预测准确率达到{y}%",
            "平均响应时间小于{m}毫秒",
            "已完成国产操作系统与数据库适配",
        ),
        ("数据分散、难以共享", "管理高度依赖人工经验", "缺乏实时监测和预警手段"),
        "系统开发与部署上线",
    ),
    "chip": ResultKind(
        ("芯片", "芯片设计", "芯片及模组"),
        ("", "", "低功耗", "国产化"),
        (5, 8),
        (100, 2000),
        ("license", "transfer", "co_development", "equity"),
        ("采用自主设计的低功耗架构与自研IP核", "基于成熟工艺节点实现高集成度设计"),
        (
            "典型工作功耗较同类产品降低{p}%",
            "芯片面积缩小{q}%",
            "已完成{k}家客户送样验证",
            "工作温度范围覆盖-40℃至{t}℃",
        ),
        ("核心器件依赖进口", "进口芯片供货周期长、价格波动大"),
        "芯片选型验证与方案导入",
    ),
    "variety": ResultKind(
        ("新品种", "新品种及配套栽培技术"),
        ("",),
        (6, 9),
        (20, 300),
        ("license", "transfer"),
        ("通过常规杂交育种结合分子标记辅助选择", "经多年多点区域试验筛选"),
        (
            "产量较对照品种提高{p}%",
            "抗逆性达到中抗以上水平",
            "生长周期{m}天左右",
            "适宜在京津冀及黄淮海地区种植",
        ),
        ("现有品种抗病性不足", "产量和品质难以兼顾"),
        "品种引进示范与配套技术培训",
    ),
    "method": ResultKind(
        ("技术", "方法"),
        ("", "", "高灵敏", "便携式"),
        (4, 7),
        (10, 200),
        ("license", "service", "transfer"),
        (
            "建立了前处理与仪器分析联用的标准化流程",
            "采用信号增强与智能判读算法",
            "开发了配套试剂与便携式检测装置",
        ),
        (
            "检测灵敏度较现行方法提高{p}%",
            "单样检测时间不超过{m}分钟",
            "检测准确率达到{y}%",
            "与国家标准方法结果的一致性超过{z}%",
        ),
        ("检测周期长", "现有检测设备昂贵", "难以实现现场快速检测"),
        "检测方法建立与验证",
    ),
    "drug": ResultKind(
        ("候选药物", "制剂技术", "临床前研究成果"),
        ("", "", "新型"),
        (2, 6),
        (300, 5000),
        ("transfer", "license", "co_development", "equity"),
        ("基于靶点结构开展分子设计与高通量筛选", "采用新型辅料与释药技术改善药代动力学"),
        (
            "体外活性达到纳摩尔级",
            "动物模型中抑制率超过{y}%",
            "已完成{k}批次工艺放大",
            "加速稳定性考察满足{m}个月要求",
        ),
        ("候选化合物储备不足", "制剂工艺放大困难"),
        "临床前研究与申报资料准备",
    ),
}

STAGE_BY_TRL = {
    1: "完成原理验证",
    2: "形成技术方案",
    3: "完成关键功能验证",
    4: "完成实验室小试",
    5: "完成关键部件的相关环境验证",
    6: "完成中试及样机演示",
    7: "在用户现场完成试用",
    8: "完成工程化定型",
    9: "实现批量应用",
}

MODE_NAMES = {
    "transfer": "技术转让",
    "license": "技术许可",
    "co_development": "合作开发",
    "equity": "作价入股",
    "service": "技术服务",
    "consulting": "技术咨询",
}


def numbers(rng: random.Random) -> dict[str, int]:
    """One set of plausible figures per text, so every phrase of it stays consistent."""
    return {
        "p": rng.randint(12, 45),
        "q": rng.randint(8, 30),
        "z": rng.randint(85, 97),
        "y": rng.randint(90, 99),
        "s": rng.randint(2, 8),
        "h": rng.choice((2000, 5000, 8000, 10000)),
        "k": rng.randint(2, 50),
        "m": rng.randint(20, 150),
        "t": rng.choice((85, 105, 125, 150, 200)),
    }
