"""Services that labs and instrument platforms offer (what innovation vouchers mostly buy)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LabService:
    industry: str
    title: str
    keywords: tuple[str, ...]
    category: str  # testing | instrument | design


def _s(industry: str, title: str, keywords: str, category: str = "testing") -> LabService:
    return LabService(industry, title, tuple(keywords.split()), category)


LAB_SERVICES: tuple[LabService, ...] = (
    _s("new_materials", "锂电池材料理化性能检测", "锂电池 材料检测 比表面积"),
    _s("new_materials", "金属与复合材料力学性能测试", "力学性能 拉伸 疲劳"),
    _s("new_materials", "场发射扫描电镜机时共享", "扫描电镜 SEM 形貌分析", "instrument"),
    _s("new_materials", "X射线衍射物相分析", "XRD 物相分析 晶体结构", "instrument"),
    _s("biomedicine", "药物杂质谱分析与结构鉴定", "杂质分析 结构鉴定 质谱"),
    _s("biomedicine", "细胞毒性与体外药效评价", "细胞毒性 药效评价 体外实验"),
    _s("biomedicine", "高分辨液质联用仪机时服务", "液质联用 LC-MS 定量分析", "instrument"),
    _s("biomedicine", "流式细胞仪机时共享", "流式细胞 细胞分析 免疫", "instrument"),
    _s(
        "energy_saving_environmental",
        "工业企业能源审计与节能诊断",
        "能源审计 节能诊断 碳排放",
        "design",
    ),
    _s(
        "energy_saving_environmental",
        "电感耦合等离子体质谱痕量元素测试",
        "ICP-MS 重金属 痕量元素",
        "instrument",
    ),
    _s("new_energy_vehicles", "动力电池安全性能测试", "动力电池 安全测试 针刺挤压"),
    _s("new_energy_vehicles", "汽车电子电磁兼容测试", "电磁兼容 EMC 汽车电子"),
    _s("new_energy_vehicles", "整车及零部件CAE仿真分析", "CAE 碰撞仿真 NVH", "design"),
    _s("modern_services", "专利导航与知识产权分析评议", "专利导航 知识产权 分析评议", "design"),
    _s("next_gen_it", "软件产品第三方测评", "软件测评 第三方 功能测试"),
    _s("next_gen_it", "网络安全等级保护测评", "等级保护 网络安全 测评"),
    _s("next_gen_it", "高性能计算集群机时租用", "高性能计算 算力 仿真计算", "instrument"),
    _s("next_gen_it", "嵌入式软硬件定制开发", "嵌入式 硬件设计 定制开发", "design"),
    _s("high_end_equipment", "机械结构设计与有限元仿真", "结构设计 有限元 仿真", "design"),
    _s("high_end_equipment", "精密零部件三坐标测量", "三坐标 精密测量 形位公差"),
    _s("high_end_equipment", "工业产品外观与结构设计", "工业设计 外观设计 结构设计", "design"),
    _s("steel", "金属材料化学成分与金相分析", "化学成分 金相 钢材"),
    _s("power", "电力设备绝缘性能检测", "绝缘 高压试验 电力设备"),
    _s("building_materials", "建筑材料及构件性能检测", "建材检测 混凝土 防火"),
    _s("textiles", "纺织品功能性与生态安全检测", "纺织品检测 甲醛 功能性"),
    _s("food_safety", "食品农兽药残留检测", "农药残留 兽药残留 食品检测"),
    _s("food_safety", "食品营养成分与标签合规检测", "营养成分 标签 合规"),
    _s("water_protection", "地表水与废水全指标检测", "水质检测 地表水 废水"),
    _s("mineral_resources", "矿石成分与工艺矿物学分析", "工艺矿物学 矿石 成分分析"),
    _s("green_energy", "光伏组件性能与可靠性测试", "光伏组件 可靠性 EL检测"),
    _s("air_quality", "环境空气颗粒物组分分析", "颗粒物 组分分析 离子色谱"),
    _s("air_quality", "固定污染源废气监测", "废气监测 固定污染源 VOCs"),
    _s("smart_tourism", "文旅数字化展陈方案设计", "数字展陈 方案设计 文旅", "design"),
    _s("healthcare", "医疗器械生物相容性评价", "生物相容性 医疗器械 注册检验"),
    _s("healthcare", "医用电气设备安全检测", "电气安全 医疗器械 注册检验"),
    _s("transportation", "道路材料与路面性能检测", "路面检测 沥青 道路材料"),
    _s("urban_management", "城市排水管道CCTV检测评估", "管道检测 CCTV 排水管网"),
)

# Per category: modes, price range in yuan, and how the service is delivered.
CATEGORY_TERMS: dict[str, tuple[tuple[str, ...], tuple[int, int], str]] = {
    "testing": (("service",), (3_000, 80_000), "出具带CMA标识的检测报告"),
    "instrument": (("service",), (500, 20_000), "按机时计费，可由专人操作或培训后自主上机"),
    "design": (("service", "consulting"), (20_000, 500_000), "交付设计方案、计算书及图纸"),
}
