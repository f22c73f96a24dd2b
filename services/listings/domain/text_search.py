"""Finding offers and needs by text (`?q=`), in Chinese as well as in Latin script.

Chinese has no spaces, so a listing is indexed by what a query can be compared with
character by character: every ideograph (unigram) and every pair of adjacent ideographs
(bigram), plus every Latin word. The database keeps these terms in a GIN-indexed tsvector.

A query is turned into a boolean expression over those terms:

- a run of Chinese matches a listing whose text contains all the run's bigrams, which is a
  substring match for all practical purposes (离子电池 finds 锂离子电池正极材料);
- a run the dictionary segments into several words also matches when each word occurs
  (电池材料 = 电池 + 材料 finds 锂离子电池正极材料);
- a dictionary word also matches when its parts occur, the parts being the shorter words
  the dictionary sees inside it plus single characters: 锂电池 = 锂 + 电池, so it finds
  锂离子电池 although 锂电池 itself is not in the text;
- a Latin word matches words it begins (graph finds graphene); case and full-width forms
  do not matter.

Every part of the query must match (AND). Matching ignores order and distance between
bigrams: the query is a filter that favours recall; ranking is the matching service's job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import rjieba

QUERY_MAX_CHARS = 100
QUERY_MAX_RUNS = 10
LATIN_WORD_MAX_CHARS = 60
_MAX_ALTERNATIVE_SPLITS = 4
_SPLIT_WORD_MAX_CHARS = 8  # dictionary words are short; longer runs are not split further
_WORD_CHARS = re.compile(r"[^\W_]+")
_SCRIPT_SEGMENTS = re.compile(r"[a-z0-9]+|[^a-z0-9]+")


@dataclass(frozen=True)
class Term:
    """One lexeme of the index; ``prefix`` matches every lexeme starting with it."""

    lexeme: str
    prefix: bool = False


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Expression, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Expression, ...]


Expression = Term | AllOf | AnyOf


def document_terms(*texts: str) -> list[str]:
    """The index terms of a listing's texts (title, keywords, summary, description)."""
    terms: set[str] = set()
    for text in texts:
        for segment, latin in _segments(text):
            if latin:
                terms.add(segment[:LATIN_WORD_MAX_CHARS])
            else:
                terms.update(segment)
                terms.update(_bigrams(segment))
    return sorted(terms)


def parse_query(q: str) -> Expression | None:
    """The expression a query stands for; None when it holds nothing searchable."""
    parts: list[Expression] = []
    for segment, latin in list(_segments(q[:QUERY_MAX_CHARS]))[:QUERY_MAX_RUNS]:
        if latin:
            parts.append(Term(segment[:LATIN_WORD_MAX_CHARS], prefix=True))
        else:
            parts.append(_chinese_run(segment))
    if not parts:
        return None
    return _all_of(parts)


def to_tsquery(expression: Expression) -> str:
    """PostgreSQL tsquery text; every lexeme is quoted, so no input is read as syntax."""
    if isinstance(expression, Term):
        quoted = "'" + expression.lexeme.replace("\\", "\\\\").replace("'", "''") + "'"
        return quoted + (":*" if expression.prefix else "")
    operator = " & " if isinstance(expression, AllOf) else " | "
    return "(" + operator.join(to_tsquery(part) for part in expression.parts) + ")"


def matches(expression: Expression, terms: Iterable[str]) -> bool:
    """Evaluate an expression against a document's terms (what the index answers)."""
    present = terms if isinstance(terms, set | frozenset) else set(terms)
    return _evaluate(expression, present)


def _evaluate(expression: Expression, present: set[str] | frozenset[str]) -> bool:
    if isinstance(expression, Term):
        if expression.prefix:
            return any(term.startswith(expression.lexeme) for term in present)
        return expression.lexeme in present
    results = (_evaluate(part, present) for part in expression.parts)
    return all(results) if isinstance(expression, AllOf) else any(results)


def _segments(text: str) -> Iterator[tuple[str, bool]]:
    """Runs of Latin letters/digits (True) and of other letters, e.g. ideographs (False)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    for word in _WORD_CHARS.findall(folded):
        for segment in _SCRIPT_SEGMENTS.findall(word):
            yield segment, segment.isascii()


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _substring(run: str) -> Expression:
    if len(run) == 1:
        return Term(run)
    return _all_of([Term(bigram) for bigram in dict.fromkeys(_bigrams(run))])


def _chinese_run(run: str) -> Expression:
    words = [w for w in rjieba.cut(run) if w.strip()]
    if len(words) > 1:
        by_words = _all_of([_word(w) for w in words])
        return _any_of([_substring(run), by_words])
    return _word(run)


def _word(word: str) -> Expression:
    alternatives = [_substring(word)]
    for split in _splits(word):
        alternatives.append(_all_of([_substring(piece) for piece in split]))
    return _any_of(alternatives)


def _splits(word: str) -> list[tuple[str, ...]]:
    """Ways to cut a word into the fewest pieces, each a shorter dictionary word or a single
    character, with at least one dictionary word among them (锂电池 → 锂电+池, 锂+电池)."""
    if not 3 <= len(word) <= _SPLIT_WORD_MAX_CHARS:
        return []
    inner = {w for w in rjieba.cut_for_search(word) if 2 <= len(w) < len(word)}
    if not inner:
        return []
    best: list[tuple[str, ...]] = []
    for split in _covers(word, inner):
        if not best or len(split) < len(best[0]):
            best = [split]
        elif len(split) == len(best[0]):
            best.append(split)
    return [s for s in best if any(len(piece) > 1 for piece in s)][:_MAX_ALTERNATIVE_SPLITS]


def _covers(word: str, inner: set[str]) -> Iterator[tuple[str, ...]]:
    if not word:
        yield ()
        return
    for piece in sorted({word[0]} | {w for w in inner if word.startswith(w)}, key=len):
        for rest in _covers(word[len(piece) :], inner):
            yield (piece, *rest)


def _all_of(parts: list[Expression]) -> Expression:
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else AllOf(tuple(unique))


def _any_of(parts: list[Expression]) -> Expression:
    unique = list(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else AnyOf(tuple(unique))
