"""Organisations of the demonstration market, as POST /organizations bodies plus a ``ref``."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from services.listings.domain.credit_code import (
    ALPHABET,
    make_credit_code,
    organization_code_check_character,
)
from techmarket.seed_data.institutions import (
    AGENCIES,
    BRAND_SYLLABLES,
    ENTERPRISE_INDUSTRIES,
    INSTITUTES,
    LABS,
    UNIVERSITIES,
)
from techmarket.seed_data.places import PLACES, REGIONS
from techmarket.seed_data.words import WORDS_BY_INDUSTRY

Record = dict[str, Any]
_PUBLIC_INSTITUTION = "12"  # 机构编制 + 事业单位: universities, institutes, public labs
_ENTERPRISE = "91"  # market regulation + enterprise


def build_organizations(rng: random.Random, today: date) -> list[Record]:
    used_codes: set[str] = set()
    used_names: set[str] = set()
    organizations: list[Record] = []
    for region in (r["short_code"] for r in REGIONS):
        for kind, table in (("university", UNIVERSITIES), ("institute", INSTITUTES), ("lab", LABS)):
            for n, (name, industries) in enumerate(table[region], start=1):
                code = _credit_code(rng, _PUBLIC_INSTITUTION, region, used_codes)
                organizations.append(_record(region, kind, n, name, code, industries))
        for n, industry in enumerate(ENTERPRISE_INDUSTRIES[region], start=1):
            organizations.append(
                _enterprise(rng, today, region, n, industry, used_codes, used_names)
            )
        for n, name in enumerate(AGENCIES[region], start=1):
            code = _credit_code(rng, _ENTERPRISE, region, used_codes)
            agency = _record(region, "broker_agency", n, name, code, ())
            agency["small_firm"] = True
            organizations.append(agency)
    return organizations


def _record(
    region: str, kind: str, n: int, name: str, code: str, industries: tuple[str, ...]
) -> Record:
    return {
        "ref": f"org-{region.lower()}-{kind}-{n:02d}",
        "name": name,
        "credit_code": code,
        "region": region,
        "kind": kind,
        "small_firm": False,
        "high_tech_cert": None,
        "industries": list(industries),
    }


def _enterprise(
    rng: random.Random,
    today: date,
    region: str,
    n: int,
    industry: str,
    used_codes: set[str],
    used_names: set[str],
) -> Record:
    place = rng.choice(PLACES[region])
    small = rng.random() < 0.8
    while True:
        brand = "".join(rng.sample(BRAND_SYLLABLES, 2))
        word = WORDS_BY_INDUSTRY[industry].company_word
        name = f"{place.name}{brand}{word}{'' if small else '股份'}有限公司"
        if name not in used_names:
            used_names.add(name)
            break
    code = _credit_code(rng, _ENTERPRISE, region, used_codes, division=place.division)
    record = _record(region, "enterprise", n, name, code, (industry,))
    record["small_firm"] = small
    if rng.random() < 0.5:
        record["high_tech_cert"] = _high_tech_cert(rng, today, region, code)
    return record


def _high_tech_cert(rng: random.Random, today: date, region: str, code: str) -> Record:
    # Certificates run three years; issue dates are picked so that all are still in force.
    issued = today - timedelta(days=rng.randint(30, 1000))
    return {
        "issuing_region": region,
        "number": f"GR{issued.year}{code[2:4]}{rng.randint(1, 12000):06d}",
        "valid_until": (issued + timedelta(days=3 * 365)).isoformat(),
    }


def _credit_code(
    rng: random.Random,
    prefix: str,
    region: str,
    used: set[str],
    division: str | None = None,
) -> str:
    division = division or rng.choice(PLACES[region]).division
    while True:
        body = _organization_code_body(rng, prefix)
        code = make_credit_code(prefix + division + body + organization_code_check_character(body))
        if code not in used:
            used.add(code)
            return code


def _organization_code_body(rng: random.Random, prefix: str) -> str:
    if prefix == _PUBLIC_INSTITUTION:
        return "4" + "".join(rng.choices("0123456789", k=7))
    if rng.random() < 0.5:  # codes assigned since 2015 start with MA
        return "MA" + "".join(rng.choices(ALPHABET, k=6))
    return rng.choice("567") + "".join(rng.choices("0123456789", k=7))
