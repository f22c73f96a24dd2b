"""IP items for generated offers: numbers that pass the listings domain's validators."""

from __future__ import annotations

import random
from typing import Any

from services.listings.domain.ip import make_layout_design_number, make_variety_right_number
from services.listings.domain.patent_number import make_application_number

IpItem = dict[str, Any]

# (kind, patent type for patents, how many at least, how many at most) per result kind.
_PLAN: dict[str, tuple[tuple[str, str, int, int], ...]] = {
    "material": (("patent", "1", 1, 3), ("patent_application", "1", 0, 2)),
    "process": (
        ("patent", "1", 0, 2),
        ("patent_application", "1", 1, 2),
        ("trade_secret", "", 0, 1),
    ),
    "equipment": (("patent", "2", 1, 3), ("patent", "1", 0, 1), ("patent_application", "1", 0, 1)),
    "software": (("software_copyright", "", 1, 3), ("patent_application", "1", 0, 1)),
    "chip": (("ic_layout", "", 1, 2), ("patent_application", "1", 0, 2)),
    "variety": (("plant_variety", "", 1, 1),),
    "method": (("patent", "1", 0, 2), ("patent_application", "1", 1, 2)),
    "drug": (("patent", "1", 1, 2), ("patent_application", "1", 1, 2)),
}


def ip_items_for(result: str, rng: random.Random, this_year: int) -> list[IpItem]:
    items: list[IpItem] = []
    for kind, patent_type, low, high in _PLAN[result]:
        for _ in range(rng.randint(low, high)):
            items.append({"kind": kind, "number": _number(kind, patent_type, rng, this_year)})
    # Different serials almost never collide; when they do, keep the item once.
    unique = {(item["kind"], item["number"]): item for item in items}
    return list(unique.values())


def _number(kind: str, patent_type: str, rng: random.Random, this_year: int) -> str | None:
    if kind == "patent":
        # Granted patents were filed a few years ago (utility models are granted faster).
        year = this_year - rng.randint(1 if patent_type == "2" else 2, 9)
        return "ZL" + make_application_number(year, patent_type, rng.randint(0, 999_999))
    if kind == "patent_application":
        year = this_year - rng.randint(0, 2)
        return make_application_number(year, patent_type, rng.randint(0, 999_999))
    if kind == "software_copyright":
        return f"{this_year - rng.randint(0, 5)}SR{rng.randint(0, 2_500_000):07d}"
    if kind == "ic_layout":
        return make_layout_design_number(this_year - rng.randint(1, 6), rng.randint(0, 99_999))
    if kind == "plant_variety":
        return make_variety_right_number(this_year - rng.randint(1, 8), rng.randint(1, 9_999))
    return None  # trade secrets are not registered
