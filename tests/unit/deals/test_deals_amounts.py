import pytest

from services.deals.domain import Deduction, amount_problems, tech_amount_fen


def _fields(problems):
    return [p.field for p in problems]


def test_tech_amount_is_the_total_less_every_deduction():
    deductions = [
        Deduction("离心机", "equipment", 3_000_000),
        Deduction("试剂", "raw_materials", 45),
    ]
    assert tech_amount_fen(10_000_000, deductions) == 6_999_955


def test_tech_amount_without_deductions_is_the_total():
    assert tech_amount_fen(500_000_000, []) == 500_000_000


def test_tech_amount_shows_by_how_much_deductions_exceed_the_total():
    assert tech_amount_fen(100, [Deduction("芯片", "parts", 150)]) == -50


@pytest.mark.parametrize(("total", "amount"), [(100.0, 10), (100, 10.5), (True, 1)])
def test_tech_amount_refuses_anything_but_integer_fen(total, amount):
    with pytest.raises(TypeError):
        tech_amount_fen(total, [Deduction("芯片", "parts", amount)])


def test_well_formed_amounts_have_no_problems():
    assert amount_problems(100, [Deduction("示波器", "instruments", 100)]) == []


def test_a_negative_deduction_is_a_problem_of_that_deduction():
    problems = amount_problems(100, [Deduction("a", "parts", 1), Deduction("b", "parts", -5)])
    assert _fields(problems) == ["deductions[1].amount_fen"]


def test_deductions_above_the_total_are_reported_not_raised():
    problems = amount_problems(100, [Deduction("a", "parts", 60), Deduction("b", "parts", 41)])
    assert _fields(problems) == ["deductions"]
    assert "101" in problems[0].message


@pytest.mark.parametrize("total", [0, -1])
def test_a_total_that_is_not_positive_is_a_problem(total):
    assert _fields(amount_problems(total, [])) == ["total_fen"]


def test_a_bad_total_is_not_repeated_as_deductions_above_it():
    assert _fields(amount_problems(0, [Deduction("a", "parts", 10)])) == ["total_fen"]


def test_every_deduction_must_name_an_item_of_a_deductible_kind():
    problems = amount_problems(100, [Deduction("  ", "salary", 10)])
    assert _fields(problems) == ["deductions[0].item", "deductions[0].kind"]


def test_float_amounts_are_problems_too():
    problems = amount_problems(100.5, [Deduction("a", "parts", 1.5)])  # type: ignore[arg-type]
    assert _fields(problems) == ["total_fen", "deductions[0].amount_fen"]
