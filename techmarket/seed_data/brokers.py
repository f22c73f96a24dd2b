"""Technology brokers, as POST /brokers bodies with local references.

Every organisation that is not an agency is represented by at least one broker of its own
region; about a third also by a broker of another region, as cross-region agencies do.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any

Record = dict[str, Any]
BROKERS_PER_AGENCY = 2
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤康易乔赖文"
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅林婷雪飞鹏宇浩然晨阳欣怡子轩博文思远海燕立新春晓东振"


def build_brokers(rng: random.Random, organizations: Sequence[Record]) -> list[Record]:
    agencies = [org for org in organizations if org["kind"] == "broker_agency"]
    brokers: list[Record] = []
    used_names: set[str] = set()
    for agency in agencies:
        for _ in range(BROKERS_PER_AGENCY):
            brokers.append(_broker(rng, agency, len(brokers) + 1, used_names))
    _assign_clients(rng, brokers, [org for org in organizations if org not in agencies])
    return brokers


def _broker(rng: random.Random, agency: Record, n: int, used_names: set[str]) -> Record:
    while True:
        name = rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))
        if name not in used_names:
            used_names.add(name)
            break
    region = agency["region"]
    return {
        "ref": f"broker-{n:02d}",
        "name": name,
        "certificate_no": f"{region}-JSJJ-{rng.randint(2016, 2024)}-{rng.randint(1, 9999):04d}",
        "region": region,
        "agency_org_ref": agency["ref"],
        "represents_org_refs": [],
    }


def _assign_clients(
    rng: random.Random, brokers: Sequence[Record], clients: Sequence[Record]
) -> None:
    if not brokers:
        return
    by_region: dict[str, list[Record]] = {}
    for broker in brokers:
        by_region.setdefault(broker["region"], []).append(broker)
    for n, client in enumerate(clients):
        local = by_region.get(client["region"]) or list(brokers)
        local[n % len(local)]["represents_org_refs"].append(client["ref"])
        if rng.random() < 0.35:
            other = rng.choice(brokers)
            if client["ref"] not in other["represents_org_refs"]:
                other["represents_org_refs"].append(client["ref"])


def brokers_by_client(brokers: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Which brokers (refs) represent each organisation (ref)."""
    index: dict[str, list[str]] = {}
    for broker in brokers:
        for org_ref in broker["represents_org_refs"]:
            index.setdefault(org_ref, []).append(broker["ref"])
    return index
