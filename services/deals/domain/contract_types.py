"""Technology-contract types of the Civil Code (民法典 art. 843 ff.) and what each needs.

Transfer and license contracts are about a piece of IP, so registration checks that the
contract lists IP of the kind its type names; development, consulting and service
contracts create or apply know-how and need none.
"""

from dataclasses import dataclass
from enum import StrEnum


class IpKind(StrEnum):
    PATENT = "patent"
    PATENT_APPLICATION = "patent_application"
    SOFTWARE_COPYRIGHT = "software_copyright"
    IC_LAYOUT = "ic_layout"
    PLANT_VARIETY = "plant_variety"
    TRADE_SECRET = "trade_secret"


class DeductionKind(StrEnum):
    """Non-technical costs that are deducted from the contract total (成交额)."""

    EQUIPMENT = "equipment"
    INSTRUMENTS = "instruments"
    PARTS = "parts"
    RAW_MATERIALS = "raw_materials"


class Family(StrEnum):
    DEVELOPMENT = "development"
    TRANSFER = "transfer"
    LICENSE = "license"
    CONSULTING = "consulting"
    SERVICE = "service"


@dataclass(frozen=True)
class ContractType:
    code: str
    family: Family
    name_zh: str
    name_en: str
    # Any one of these kinds satisfies the type; empty means no IP is required.
    required_ip_kinds: frozenset[IpKind] = frozenset()

    @property
    def requires_ip(self) -> bool:
        return bool(self.required_ip_kinds)


class UnknownContractType(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(f"unknown contract type {code!r}")
        self.code = code


_PATENT = frozenset({IpKind.PATENT})
_SECRET = frozenset({IpKind.TRADE_SECRET})
# Art. 876: the other IP rights are transferred and licensed by analogy.
_OTHER_IP = frozenset({IpKind.SOFTWARE_COPYRIGHT, IpKind.IC_LAYOUT, IpKind.PLANT_VARIETY})

_ALL = (
    ContractType("development.commissioned", Family.DEVELOPMENT,
                 "技术开发合同(委托开发)", "technology development (commissioned)"),
    ContractType("development.cooperative", Family.DEVELOPMENT,
                 "技术开发合同(合作开发)", "technology development (cooperative)"),
    ContractType("transfer.patent", Family.TRANSFER,
                 "技术转让合同(专利权转让)", "patent transfer", _PATENT),
    ContractType("transfer.patent_application", Family.TRANSFER,
                 "技术转让合同(专利申请权转让)", "patent application right transfer",
                 frozenset({IpKind.PATENT_APPLICATION})),
    ContractType("transfer.technical_secret", Family.TRANSFER,
                 "技术转让合同(技术秘密转让)", "technical secret transfer", _SECRET),
    ContractType("transfer.other_ip", Family.TRANSFER,
                 "技术转让合同(其他知识产权转让)", "transfer of other IP rights", _OTHER_IP),
    ContractType("license.patent", Family.LICENSE,
                 "技术许可合同(专利实施许可)", "patent license", _PATENT),
    ContractType("license.technical_secret", Family.LICENSE,
                 "技术许可合同(技术秘密使用许可)", "technical secret license", _SECRET),
    ContractType("license.other_ip", Family.LICENSE,
                 "技术许可合同(其他知识产权许可)", "license of other IP rights", _OTHER_IP),
    ContractType("consulting", Family.CONSULTING, "技术咨询合同", "technology consulting"),
    ContractType("service.technical", Family.SERVICE, "技术服务合同", "technical service"),
    ContractType("service.intermediary", Family.SERVICE,
                 "技术中介合同", "technology intermediary service"),
    ContractType("service.training", Family.SERVICE, "技术培训合同", "technical training"),
)

CONTRACT_TYPES: dict[str, ContractType] = {t.code: t for t in _ALL}


def find_contract_type(code: str) -> ContractType | None:
    return CONTRACT_TYPES.get(code)


def contract_type(code: str) -> ContractType:
    found = CONTRACT_TYPES.get(code)
    if found is None:
        raise UnknownContractType(code)
    return found


def types_fitting_ip(kinds: frozenset[str], family: Family | None = None) -> list[ContractType]:
    """IP-bearing types (optionally of one family) that the listed IP kinds would satisfy."""
    return [
        t for t in _ALL
        if t.required_ip_kinds & kinds and (family is None or t.family is family)
    ]
