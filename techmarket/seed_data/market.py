"""The whole demonstration market in one call, and the step from local refs to server ids."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from techmarket.seed_data.brokers import build_brokers
from techmarket.seed_data.needs import iter_needs
from techmarket.seed_data.offers import iter_offers
from techmarket.seed_data.organizations import build_organizations
from techmarket.seed_data.places import REGIONS

Record = dict[str, Any]
DEFAULT_SEED = 2015  # the year of the Jingjinji collaborative-innovation work plan


@dataclass(frozen=True)
class Market:
    regions: list[Record]
    organizations: list[Record]
    brokers: list[Record]
    offers: list[Record]
    needs: list[Record]


def build_market(
    today: date, *, seed: int = DEFAULT_SEED, offers: int = 320, needs: int = 160
) -> Market:
    organizations = build_organizations(random.Random(f"organisations/{seed}"), today)
    brokers = build_brokers(random.Random(f"brokers/{seed}"), organizations)
    return Market(
        regions=[dict(region) for region in REGIONS],
        organizations=organizations,
        brokers=brokers,
        offers=list(
            iter_offers(offers, seed=seed, today=today, owners=organizations, brokers=brokers)
        ),
        needs=list(
            iter_needs(needs, seed=seed, today=today, buyers=organizations, brokers=brokers)
        ),
    )


# Local reference fields and the API field each becomes once the server has assigned ids.
_REF_FIELDS = {
    "owner_org_ref": "owner_org_id",
    "buyer_org_ref": "buyer_org_id",
    "agency_org_ref": "agency_org_id",
}
_LOCAL_ONLY = frozenset({"ref", "broker_ref", "industries"})


def to_request_body(record: Mapping[str, Any], ids: Mapping[str, str]) -> Record:
    """The API request body of a seed record, with refs replaced by the server's ids.

    ``ids`` maps each already created ref (``org-bj-lab-01``...) to its server id; a
    missing ref raises KeyError, which means records were posted out of order.
    """
    body: Record = {}
    for key, value in record.items():
        if key in _LOCAL_ONLY:
            continue
        if key in _REF_FIELDS:
            body[_REF_FIELDS[key]] = ids[value]
        elif key == "represents_org_refs":
            body["represents"] = [ids[ref] for ref in value]
        else:
            body[key] = value
    return body
