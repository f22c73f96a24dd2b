"""Building blocks of the demonstration vocabulary: topics and the industries they belong to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """A technical subject an offer or a need can be about.

    ``result`` says what kind of result it yields (material, process, equipment, software,
    chip, variety, method, drug); that decides title endings, TRL, IP kinds and prices.
    """

    name: str
    result: str
    keywords: tuple[str, ...]
    endings: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndustryWords:
    industry: str
    company_word: str  # what a firm of the industry calls itself: 新材料科技, 钢铁...
    business: tuple[str, ...]  # what such a firm does, for need descriptions
    scenes: tuple[str, ...]  # where the results are applied
    topics: tuple[Topic, ...]


def topic(name: str, result: str, keywords: str, endings: str | None = None) -> Topic:
    """Compact topic literal: keywords space-separated, endings '|'-separated ('' allowed)."""
    return Topic(
        name, result, tuple(keywords.split()), tuple(endings.split("|")) if endings else ()
    )
