"""The HTTP models refuse malformed input before any use case runs."""

from datetime import date

import pytest
from pydantic import ValidationError

from services.deals.domain import CONTRACT_TYPES
from services.deals.schemas import MAX_FEN, ContractIn, ContractTypeCode, TerminateIn

VALID = {
    "type": "license.patent", "signed_on": "2026-03-10", "valid_from": "2026-03-10",
    "valid_until": "2027-03-09", "total_fen": 1_000, "subject": "专利实施许可",
}


def test_the_api_offers_exactly_the_thirteen_contract_types() -> None:
    assert sorted(code.value for code in ContractTypeCode) == sorted(CONTRACT_TYPES)
    assert len(CONTRACT_TYPES) == 13


def test_a_valid_contract_parses() -> None:
    parsed = ContractIn.model_validate(VALID)
    assert parsed.signed_on == date(2026, 3, 10) and parsed.deductions == []
    assert parsed.document_sha256 is None  # an oral contract is judged at registration


@pytest.mark.parametrize("total", [1.0, 1.5, "100", True, -1, MAX_FEN + 1, None])
def test_money_is_a_non_negative_integer_of_fen(total: object) -> None:
    with pytest.raises(ValidationError):
        ContractIn.model_validate({**VALID, "total_fen": total})


@pytest.mark.parametrize("day", [1767225600, "2026-02-30", "10/03/2026", None])
def test_dates_are_iso_text(day: object) -> None:
    with pytest.raises(ValidationError):
        ContractIn.model_validate({**VALID, "signed_on": day})


def test_lists_are_bounded() -> None:
    deduction = {"item": "零件", "kind": "parts", "amount_fen": 1}
    ContractIn.model_validate({**VALID, "deductions": [deduction] * 100})
    with pytest.raises(ValidationError):
        ContractIn.model_validate({**VALID, "deductions": [deduction] * 101})


def test_registrability_is_not_judged_here() -> None:
    # Unknown deduction kinds, empty subjects, deductions above the total: reason codes at
    # registration, not malformed input.
    ContractIn.model_validate({**VALID, "subject": "", "deductions": [
        {"item": "差旅", "kind": "travel", "amount_fen": 5_000}]})


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_termination_needs_a_reason(reason: str) -> None:
    with pytest.raises(ValidationError):
        TerminateIn.model_validate({"reason": reason})
