"""The fictional universities, institutes, labs and agencies of the demonstration market.

Every name is invented for the demonstration; any likeness to a real body is coincidence.
Each entry lists the industries it works in, which steers what it offers.
"""

from __future__ import annotations

Institution = tuple[str, tuple[str, ...]]

UNIVERSITIES: dict[str, tuple[Institution, ...]] = {
    "BJ": (
        (
            "京华理工大学",
            ("new_materials", "next_gen_it", "high_end_equipment", "new_energy_vehicles"),
        ),
        ("北京协和生命科技大学", ("biomedicine", "healthcare", "food_safety")),
        (
            "京西能源环境大学",
            ("energy_saving_environmental", "green_energy", "air_quality", "power"),
        ),
    ),
    "TJ": (
        ("津海工业大学", ("high_end_equipment", "steel", "textiles", "transportation")),
        ("天津滨海理工大学", ("new_materials", "new_energy_vehicles", "green_energy", "power")),
        ("天津渤海医科大学", ("biomedicine", "healthcare", "food_safety")),
    ),
    "HE": (
        ("冀中工业大学", ("steel", "mineral_resources", "building_materials", "power")),
        ("燕赵农林大学", ("food_safety", "water_protection", "green_energy", "smart_tourism")),
        (
            "太行理工大学",
            ("high_end_equipment", "next_gen_it", "transportation", "modern_services"),
        ),
    ),
}

INSTITUTES: dict[str, tuple[Institution, ...]] = {
    "BJ": (
        ("北京先进材料产业技术研究院", ("new_materials", "building_materials", "textiles")),
        ("北京智能信息技术研究院", ("next_gen_it", "modern_services", "smart_tourism")),
        ("北京大气环境科学研究所", ("air_quality", "energy_saving_environmental")),
        ("北京城市交通规划研究院", ("transportation", "urban_management")),
    ),
    "TJ": (
        (
            "天津滨海绿色化工研究院",
            ("energy_saving_environmental", "water_protection", "new_materials"),
        ),
        ("天津海洋装备技术研究所", ("high_end_equipment", "transportation")),
        ("天津食品质量安全研究院", ("food_safety", "biomedicine")),
        ("天津智慧城市研究院", ("urban_management", "smart_tourism", "modern_services")),
    ),
    "HE": (
        ("河北钢铁冶金技术研究院", ("steel", "energy_saving_environmental", "mineral_resources")),
        ("河北生态环境科学研究所", ("air_quality", "water_protection", "mineral_resources")),
        ("河北绿色建筑产业技术研究院", ("building_materials", "urban_management", "green_energy")),
        ("河北中医药现代化研究所", ("biomedicine", "healthcare")),
    ),
}

LABS: dict[str, tuple[Institution, ...]] = {
    "BJ": (
        ("北京中关村材料分析测试中心", ("new_materials", "steel", "mineral_resources")),
        ("北京京仪科学仪器共享平台", ("new_materials", "biomedicine", "next_gen_it")),
        ("北京华检生物医药检测中心", ("biomedicine", "healthcare", "food_safety")),
    ),
    "TJ": (
        (
            "天津港城检验检测认证中心",
            ("food_safety", "water_protection", "textiles", "transportation"),
        ),
        ("天津滨海大型科学仪器共享平台", ("new_materials", "biomedicine", "high_end_equipment")),
        ("天津新能源汽车与电力设备测试中心", ("new_energy_vehicles", "power", "green_energy")),
    ),
    "HE": (
        ("河北冀检产品质量检验中心", ("steel", "building_materials", "textiles", "power")),
        ("石家庄药物分析测试平台", ("biomedicine", "healthcare")),
        ("唐山环境监测技术服务中心", ("air_quality", "water_protection", "mineral_resources")),
    ),
}

AGENCIES: dict[str, tuple[str, ...]] = {
    "BJ": ("北京京科技术转移服务有限公司", "北京中关村汇智技术经纪有限公司"),
    "TJ": ("天津津创技术转移中心有限公司", "天津滨海科技成果转化服务有限公司"),
    "HE": ("河北冀联技术经纪有限公司", "保定京津冀协同创新服务有限公司"),
}

# Syllables for invented firm names: two of them make a brand such as 瑞晟 or 恒达.
BRAND_SYLLABLES = "瑞晟恒达博远华创鑫隆嘉宏泰科睿诚德盛航宇金正源通凯立中天"

# Enterprises per region by industry: together they cover every industry of the catalogue,
# with traditional industries where they actually sit (steel and building materials in Hebei).
ENTERPRISE_INDUSTRIES: dict[str, tuple[str, ...]] = {
    "BJ": (
        "next_gen_it",
        "modern_services",
        "biomedicine",
        "healthcare",
        "smart_tourism",
        "urban_management",
        "air_quality",
    ),
    "TJ": (
        "high_end_equipment",
        "new_materials",
        "new_energy_vehicles",
        "textiles",
        "food_safety",
        "water_protection",
        "transportation",
    ),
    "HE": (
        "steel",
        "power",
        "building_materials",
        "mineral_resources",
        "green_energy",
        "energy_saving_environmental",
        "food_safety",
    ),
}
