"""Shared wording: maturity stages, mode names and the figures quoted in texts."""

from __future__ import annotations

import random

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
    """One set of plausible figures per listing, so its summary and description agree."""
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
