"""The three regions of the seed and real GB/T 2260 divisions where organisations register."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    name: str  # how the place prefixes an organisation's name
    division: str  # GB/T 2260 code of the registering office


REGIONS: tuple[dict[str, str], ...] = (
    {"code": "110000", "short_code": "BJ", "name_zh": "北京市", "name_en": "Beijing"},
    {"code": "120000", "short_code": "TJ", "name_zh": "天津市", "name_en": "Tianjin"},
    {"code": "130000", "short_code": "HE", "name_zh": "河北省", "name_en": "Hebei"},
)
REGION_NAMES = {region["short_code"]: region["name_zh"] for region in REGIONS}

# Beijing and Tianjin firms carry the city's name and register in a district; Hebei firms
# carry their prefecture-level city's name and register there.
PLACES: dict[str, tuple[Place, ...]] = {
    "BJ": tuple(
        Place("北京", code)
        for code in ("110101", "110102", "110105", "110106", "110108", "110112", "110114")
    ),
    "TJ": tuple(
        Place("天津", code)
        for code in ("120101", "120103", "120104", "120110", "120111", "120113", "120116")
    ),
    "HE": (
        Place("石家庄", "130100"),
        Place("唐山", "130200"),
        Place("秦皇岛", "130300"),
        Place("邯郸", "130400"),
        Place("保定", "130600"),
        Place("张家口", "130700"),
        Place("沧州", "130900"),
        Place("廊坊", "131000"),
        Place("衡水", "131100"),
    ),
}
