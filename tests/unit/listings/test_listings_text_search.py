"""Text search terms and queries: Chinese substrings, words and their parts, Latin words."""

import pytest

from services.listings.domain.text_search import (
    QUERY_MAX_CHARS,
    AllOf,
    AnyOf,
    Term,
    document_terms,
    matches,
    parse_query,
    to_tsquery,
)

CATHODE = document_terms("锂离子电池正极材料", "高镍三元 NCM811 正极", "用于新能源汽车动力电池")
WATER = document_terms("工业园区污水处理与回用技术", "膜生物反应器 MBR")


def finds(query: str, terms: list[str]) -> bool:
    expression = parse_query(query)
    assert expression is not None
    return matches(expression, terms)


def test_document_terms_are_ideographs_their_pairs_and_latin_words() -> None:
    terms = document_terms("锂电 NCM811")
    assert terms == sorted(["锂", "电", "锂电", "ncm811"])


def test_full_width_and_upper_case_fold_to_the_same_terms() -> None:
    assert document_terms("ＮＣＭ８１１ Graphene") == document_terms("ncm811 graphene")


def test_punctuation_separates_runs() -> None:
    terms = document_terms("电池，材料")
    assert "池材" not in terms and {"电池", "材料"} <= set(terms)


@pytest.mark.parametrize("query", [
    "锂离子电池正极材料",  # the whole title
    "离子电池",  # a substring
    "正极",  # a word
    "锂",  # one character
    "电池材料",  # two words that are not adjacent in the text
    "锂电池",  # a word whose parts (锂 + 电池) occur: the tokenizer's contribution
    "ncm",  # the start of a Latin word
    "NCM811",
    "锂电池 正极",  # several parts, all must match
])
def test_queries_that_find_the_cathode_offer(query: str) -> None:
    assert finds(query, CATHODE)


@pytest.mark.parametrize("query", ["污水处理", "石墨烯", "mbr", "锂电池 污水", "811ncm"])
def test_queries_that_do_not_find_it(query: str) -> None:
    assert not finds(query, CATHODE)


def test_water_treatment_is_found_by_its_words_not_by_batteries() -> None:
    assert finds("污水处理", WATER) and finds("回用", WATER) and finds("mbr", WATER)
    assert not finds("电池", WATER)


def test_lithium_battery_is_split_into_its_dictionary_parts() -> None:
    expression = parse_query("锂电池")
    assert isinstance(expression, AnyOf)
    assert AllOf((Term("锂"), Term("电池"))) in expression.parts


@pytest.mark.parametrize("query", ["", "   ", "，。！？", "--", "'"])
def test_nothing_searchable_is_none(query: str) -> None:
    assert parse_query(query) is None


def test_tsquery_quotes_every_lexeme() -> None:
    assert to_tsquery(Term("a'b\\c")) == "'a''b\\\\c'"
    assert to_tsquery(Term("ncm", prefix=True)) == "'ncm':*"
    assert to_tsquery(AllOf((Term("电池"), AnyOf((Term("锂"), Term("钠")))))) == (
        "('电池' & ('锂' | '钠'))")


def test_sql_and_operators_in_a_query_are_only_words() -> None:
    expression = parse_query("x' | !y & <script>; DROP TABLE offers; --")
    assert expression is not None
    lexemes = set()

    def collect(node: object) -> None:
        if isinstance(node, Term):
            lexemes.add(node.lexeme)
        elif isinstance(node, AllOf | AnyOf):
            for part in node.parts:
                collect(part)

    collect(expression)
    assert lexemes == {"x", "y", "script", "drop", "table", "offers"}


def test_long_queries_are_cut_not_refused() -> None:
    expression = parse_query("电池" * QUERY_MAX_CHARS)
    assert expression is not None and matches(expression, CATHODE)
