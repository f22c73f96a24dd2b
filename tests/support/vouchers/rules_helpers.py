"""A valid program, enterprise, provider and deal that each rules test changes one thing of."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from services.vouchers.domain.errors import FieldError
from services.vouchers.domain.terms import Deal, DealStatus, Enterprise, ProgramTerms, Provider

REGIONS = ("BJ", "TJ", "HE")
NOW = datetime(2026, 5, 1, tzinfo=UTC)
ENTERPRISE = UUID(int=1)
PROVIDER = UUID(int=2)

PROGRAM = ProgramTerms(
    issuer_region="HE",
    name="河北省科技创新券 2026",
    year=2026,
    budget_fen=10_000_000,
    max_share_bp=5_000,
    cap_per_enterprise_fen=500_000,
    eligible_contract_types=("service.technical", "development.commissioned"),
    recognized_regions=REGIONS,
    provider_catalog=None,
    use_by=datetime(2026, 12, 31, tzinfo=UTC),
    redeem_by=datetime(2027, 3, 31, tzinfo=UTC),
)
SMALL_FIRM = Enterprise(org_id=ENTERPRISE, region="HE", small_firm=True)
LAB = Provider(org_id=PROVIDER, region="BJ")
DEAL = Deal(
    deal_id=UUID(int=3),
    status=DealStatus.SIGNED,
    contract_type="service.technical",
    tech_amount_fen=400_000,
    seller_org_id=PROVIDER,
    buyer_org_id=ENTERPRISE,
)


def codes(errors: list[FieldError]) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in errors}
