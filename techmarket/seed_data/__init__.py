"""Deterministic demonstration market of 京津冀: organisations, brokers, offers and needs.

Everything is generated from a seeded ``random.Random`` and a given ``today``: the same
arguments give the same market, byte for byte. All names are invented; credit codes and IP
numbers are made up but valid under the listings domain's validators.

Records are plain dicts shaped like the listings API request bodies, except that references
to other records are local ``*_ref`` strings (ids are assigned by the server).
``to_request_body(record, ids)`` turns a record into the body to POST once the refs it
mentions have ids. Post organisations, then brokers, then offers and needs.

Organisation (POST /organizations)::

    {"ref": "org-bj-university-01", "name": "京华理工大学", "credit_code": "12110108...",
     "region": "BJ", "kind": "university", "small_firm": false,
     "high_tech_cert": null | {"issuing_region": "BJ", "number": "GR2024110012",
                               "valid_until": "2027-03-01"},
     "industries": ["new_materials", ...]}     # a seed hint, dropped from the body

Broker (POST /brokers)::

    {"ref": "broker-01", "name": "王晓东", "certificate_no": "BJ-JSJJ-2019-0042",
     "region": "BJ", "agency_org_ref": "org-bj-broker_agency-01",
     "represents_org_refs": ["org-bj-university-01", ...]}       # -> "represents": [ids]

Offer (POST /offers, posted by ``broker_ref``)::

    {"ref": "offer-000001", "broker_ref": "broker-03", "owner_org_ref": "org-tj-lab-02",
     "kind": "technology" | "service", "title", "summary", "description", "industry",
     "keywords": [...], "trl": 1-9, "ip": [{"kind": "patent", "number": "ZL2019...X"}],
     "modes": ["license", ...], "asking_price_fen": int | null, "valid_until": "2027-06-30"}

Need (POST /needs, posted by ``broker_ref``)::

    {"ref": "need-000001", "broker_ref": "broker-05", "buyer_org_ref": "org-he-enterprise-01",
     "title", "description", "industry", "keywords": [...], "min_trl": int,
     "budget_min_fen": int, "budget_max_fen": int, "cross_region_ok": bool,
     "modes": [...], "deadline": "2026-09-30"}

Dates are ISO calendar dates (``YYYY-MM-DD``), all after ``today``; money is integer fen.
"""

from techmarket.seed_data.market import DEFAULT_SEED, Market, build_market, to_request_body
from techmarket.seed_data.needs import iter_needs
from techmarket.seed_data.offers import iter_offers
from techmarket.seed_data.places import REGIONS

__all__ = [
    "DEFAULT_SEED",
    "REGIONS",
    "Market",
    "build_market",
    "iter_needs",
    "iter_offers",
    "to_request_body",
]
