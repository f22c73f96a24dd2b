"""A snapshot of a signed contract and its parties, as registration judges it."""

from dataclasses import dataclass
from datetime import date

from .amounts import Deduction


@dataclass(frozen=True)
class Party:
    org_id: str
    name: str
    region: str  # short code (BJ) or GB/T 2260 code (110000)


@dataclass(frozen=True)
class IpItem:
    kind: str  # an IpKind value
    number: str  # patent number, registration number...; validated by the listings service


@dataclass(frozen=True)
class ContractSnapshot:
    seller: Party | None
    buyer: Party | None
    contract_type: str  # a code of CONTRACT_TYPES, e.g. "license.patent"
    signed_on: date
    valid_from: date
    valid_until: date
    total_fen: int
    deductions: tuple[Deduction, ...] = ()
    ip_items: tuple[IpItem, ...] = ()
    document_sha256: str | None = None  # hash of the written contract; None = oral
    subject: str = ""  # the technical content (标的)
    acceptance_criteria: str | None = None
    already_registered: bool = False

    def listed_ip_kinds(self) -> frozenset[str]:
        """Kinds of the IP items that actually name a right (a blank number names none)."""
        return frozenset(item.kind for item in self.ip_items if item.number.strip())
