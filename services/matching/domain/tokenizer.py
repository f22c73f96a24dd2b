"""Tokenizer for Chinese technical text (offers, needs, search queries).

Chinese has no spaces, and listings written by different people segment the same
technology differently (锂电池 vs 锂离子电池). So one text yields three kinds of terms:

- dictionary words from rjieba (dictionary compiled into the wheel, nothing downloaded):
  precise hits on whole technical words;
- character bigrams of every CJK run: robust to segmentation differences, so 锂电池 still
  shares 电池 with 锂离子电池正极材料;
- single CJK characters: many technical meanings live in one character (锂, 镍, 钢, 菌).
  Measured on the CSL benchmark (title → abstract): words + bigrams reach Recall@1 0.973,
  adding characters reaches 0.984.

Other words and numbers (Latin, Greek...) are kept whole and lowercased (LiFePO4 →
lifepo4, 5G → 5g, α-Fe2O3 → α, fe2o3); punctuation and whitespace are dropped. Text is
NFKC-normalised first, so full-width ＬｉＦｅＰＯ４ or ５Ｇ, common in Chinese documents, reads
the same as the half-width spelling. Terms are plain strings in one vocabulary: a
two-character word and the same bigram are the same term, which simply counts twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import rjieba

# Function words that carry no technical meaning; dropped as words and as characters.
# Bigrams that contain them are kept: IDF already makes the frequent ones cheap.
STOPWORDS: frozenset[str] = frozenset(
    "的 了 和 与 及 或 在 是 对 中 为 其 并 而 等 由 于 以 从 被 将 把 也 就 都 之 这 那 有".split()
)

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_OTHER_WORD = re.compile(f"[^\\W_{_CJK}]+")


def tokenize(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """Terms of a text, grouped by kind; duplicates kept (they are the term frequency)."""
    return analyse(text, stopwords)[0]


def words(text: str, stopwords: frozenset[str] = STOPWORDS) -> list[str]:
    """Only the dictionary words and other words: what a person would call the terms."""
    lowered = _normalise(text)
    found: list[str] = []
    for run in _CJK_RUN.findall(lowered):
        found += rjieba.cut(run)
    found += _OTHER_WORD.findall(lowered)
    return [word for word in found if word not in stopwords]


def analyse(text: str, stopwords: frozenset[str] = STOPWORDS) -> tuple[list[str], list[str]]:
    """(tokenize(text), words(text)) with one segmentation: a query needs both."""
    lowered = _normalise(text)
    terms: list[str] = []
    found: list[str] = []
    for run in _CJK_RUN.findall(lowered):
        # Segmenting run by run keeps rjieba from gluing ASCII onto Chinese words
        # ("B超"); the Latin part is picked up whole by the other-word pattern instead.
        cut = rjieba.cut(run)
        found += cut
        terms += cut
        terms += [run[i : i + 2] for i in range(len(run) - 1)]
        terms += run
    others = _OTHER_WORD.findall(lowered)
    terms += others
    found += others
    return ([term for term in terms if term not in stopwords],
            [word for word in found if word not in stopwords])


def term_counts(text: str, stopwords: frozenset[str] = STOPWORDS) -> Counter[str]:
    """Term frequencies of a text: what the index stores per field."""
    return Counter(tokenize(text, stopwords))


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()
