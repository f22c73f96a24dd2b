"""A registrable contract that each test bends in one way, so a failure has one cause."""

from datetime import date

import pytest

from services.deals.domain import ContractSnapshot, Deduction, IpItem, Party
from services.deals.domain.rules import RegistrationContext

TODAY = date(2026, 4, 1)
SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


@pytest.fixture
def contract() -> ContractSnapshot:
    return ContractSnapshot(
        seller=Party("org-seller", "北京理工新材料研究院", "BJ"),
        buyer=Party("org-buyer", "河北沧州化工有限公司", "HE"),
        contract_type="transfer.patent",
        signed_on=date(2026, 3, 10),
        valid_from=date(2026, 3, 10),
        valid_until=date(2027, 3, 9),
        total_fen=120_000_000,
        deductions=(Deduction("反应釜 1 台", "equipment", 20_000_000),),
        ip_items=(IpItem("patent", "ZL202310123456.7"),),
        document_sha256=SHA,
        subject="一种高镍三元正极材料的制备方法专利权转让",
        acceptance_criteria="按专利说明书实施例小试三批合格",
    )


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def context() -> RegistrationContext:
    return RegistrationContext(today=TODAY)
