"""Valid test data: credit codes with correct check characters, organisations."""

from __future__ import annotations

import itertools
import random

from services.listings.domain.credit_code import (
    make_credit_code,
    organization_code_check_character,
)

_counter = itertools.count(random.Random().randrange(10**6))
DIVISIONS = {"BJ": "110108", "TJ": "120116", "HE": "130102"}


def credit_code(region: str = "BJ") -> str:
    """A unique, valid unified social credit code (enterprise, 91...)."""
    body8 = "MA" + f"{next(_counter) % 10**6:06d}"
    org_code = body8 + organization_code_check_character(body8)
    return make_credit_code("91" + DIVISIONS[region] + org_code)


def organization(region: str = "BJ", kind: str = "enterprise", small_firm: bool = True,
                 name: str | None = None) -> dict[str, object]:
    return {"name": name or f"测试科技有限公司{next(_counter)}", "credit_code": credit_code(region),
            "region": region, "kind": kind, "small_firm": small_firm}
