"""The two amounts of a technology contract, in integer fen.

成交额 (contract total) minus the listed non-technical deductions gives 技术交易额 (the
technology transaction amount), which is what registration, tax relief and voucher shares
are based on. Floats never enter: a fen lost to rounding is a ledger that does not add up.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .contract_types import DeductionKind

_DEDUCTIBLE = frozenset(DeductionKind)


@dataclass(frozen=True)
class Deduction:
    item: str  # what was bought, e.g. "离心机 2 台": each deduction must be listed
    kind: str  # a DeductionKind value
    amount_fen: int


@dataclass(frozen=True)
class AmountProblem:
    field: str
    message: str


def is_fen(value: object) -> bool:
    # bool is an int subclass, but True fen is a bug, not an amount.
    return isinstance(value, int) and not isinstance(value, bool)


def tech_amount_fen(total_fen: int, deductions: Iterable[Deduction]) -> int:
    """Contract total minus every deduction. Negative when the deductions exceed the total:
    such a contract is not registrable (see amount_problems), but the figure tells by how much.
    """
    listed = list(deductions)
    if not is_fen(total_fen) or not all(is_fen(d.amount_fen) for d in listed):
        raise TypeError("amounts must be integer fen")
    return total_fen - sum(d.amount_fen for d in listed)


def amount_problems(total_fen: int, deductions: Sequence[Deduction]) -> list[AmountProblem]:
    """Everything wrong with the amounts, reported rather than raised."""
    problems = _total_problems(total_fen)
    for index, deduction in enumerate(deductions):
        problems += _deduction_problems(index, deduction)
    # With no usable total, "deductions above the total" would only repeat that problem.
    if all(p.field != "total_fen" for p in problems):
        problems += _balance_problems(total_fen, deductions)
    return problems


def _total_problems(total_fen: int) -> list[AmountProblem]:
    if not is_fen(total_fen):
        return [AmountProblem("total_fen", "the contract total must be integer fen")]
    if total_fen <= 0:
        return [AmountProblem("total_fen", "the contract total must be more than 0 fen")]
    return []


def _deduction_problems(index: int, deduction: Deduction) -> list[AmountProblem]:
    at = f"deductions[{index}]"
    problems = []
    if not deduction.item or not deduction.item.strip():
        problems.append(AmountProblem(f"{at}.item", "each deduction must name the item"))
    if deduction.kind not in _DEDUCTIBLE:
        allowed = ", ".join(DeductionKind)
        problems.append(AmountProblem(
            f"{at}.kind", f"{deduction.kind!r} is not a deductible cost; allowed: {allowed}"))
    if not is_fen(deduction.amount_fen):
        problems.append(AmountProblem(f"{at}.amount_fen", "a deduction must be integer fen"))
    elif deduction.amount_fen < 0:
        problems.append(AmountProblem(f"{at}.amount_fen", "a deduction cannot be negative"))
    return problems


def _balance_problems(total_fen: int, deductions: Sequence[Deduction]) -> list[AmountProblem]:
    amounts = [d.amount_fen for d in deductions]
    if not is_fen(total_fen) or not all(is_fen(a) for a in amounts):
        return []
    deducted = sum(amounts)
    if deducted <= total_fen:
        return []
    return [AmountProblem(
        "deductions",
        f"deductions of {deducted} fen exceed the contract total of {total_fen} fen; "
        "the technology transaction amount cannot be negative",
    )]
