"""Chinese technical text becomes words, bigrams and characters; ASCII stays whole."""

from __future__ import annotations

from services.matching.domain import tokenize
from services.matching.domain.tokenizer import term_counts, words


def test_dictionary_words_of_chinese_text_are_terms() -> None:
    terms = tokenize("锂离子电池正极材料")

    assert {"锂离子", "电池", "正极", "材料"} <= set(terms)


def test_character_bigrams_and_characters_of_chinese_runs_are_terms() -> None:
    terms = set(tokenize("锂离子电池正极材料"))

    assert {"锂离", "离子", "子电", "池正", "极材"} <= terms
    assert {"锂", "池", "料"} <= terms


def test_differently_segmented_technologies_still_share_terms() -> None:
    # jieba keeps 锂电池 as one word, which alone would never meet 锂离子 + 电池.
    assert "锂电池" not in tokenize("锂离子电池正极材料")
    shared = set(tokenize("锂电池")) & set(tokenize("锂离子电池正极材料"))

    assert {"电池", "锂"} <= shared


def test_ascii_words_and_numbers_are_kept_whole_and_lowercased() -> None:
    terms = tokenize("LiFePO4正极材料，适用于5G基站。Model X-200")

    assert {"lifepo4", "5g", "model", "x", "200"} <= set(terms)
    assert "LiFePO4" not in terms
    assert "l" not in terms and "i" not in terms


def test_full_width_and_greek_spellings_read_like_ordinary_ones() -> None:
    terms = set(tokenize("ＬｉＦｅＰＯ４正极，５Ｇ基站；α-Fe2O3纳米颗粒，粒径５μm"))

    assert {"lifepo4", "5g", "α", "fe2o3", "5μm"} <= terms


def test_punctuation_and_whitespace_never_become_terms() -> None:
    terms = tokenize("污水处理， 膜生物反应器！（MBR）\n  出水：一级A。")

    assert terms
    assert all(term.strip() == term and term.isalnum() for term in terms)


def test_stopwords_are_dropped_as_words_and_characters() -> None:
    terms = tokenize("钢板的焊接和切割")

    assert "的" not in terms and "和" not in terms
    assert {"钢板", "焊接", "切割"} <= set(terms)


def test_stopword_list_can_be_replaced() -> None:
    assert "钢" not in tokenize("钢板", stopwords=frozenset({"钢"}))
    assert "的" in tokenize("钢板的", stopwords=frozenset())


def test_repeated_terms_count_as_term_frequency() -> None:
    counts = term_counts("电池，电池，电池")

    assert counts["电池"] >= 3


def test_words_lists_only_what_a_person_calls_terms() -> None:
    found = words("高强度钢板的焊接工艺, 采用Nd:YAG激光")

    assert found == ["高强度", "钢板", "焊接", "工艺", "采用", "激光", "nd", "yag"]


def test_empty_and_symbol_only_text_have_no_terms() -> None:
    assert tokenize("") == []
    assert tokenize("，。！？ ——…… \t\n") == []
