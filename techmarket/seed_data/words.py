"""All industry vocabularies of the seed, indexed by industry code."""

from __future__ import annotations

from techmarket.seed_data.vocabulary import IndustryWords, Topic
from techmarket.seed_data.words_city import CITY_LIFE
from techmarket.seed_data.words_emerging import EMERGING
from techmarket.seed_data.words_livelihood import LIVELIHOOD
from techmarket.seed_data.words_traditional import TRADITIONAL

ALL_WORDS: tuple[IndustryWords, ...] = EMERGING + TRADITIONAL + LIVELIHOOD + CITY_LIFE
WORDS_BY_INDUSTRY: dict[str, IndustryWords] = {words.industry: words for words in ALL_WORDS}


def topics_of(industry: str) -> tuple[Topic, ...]:
    return WORDS_BY_INDUSTRY[industry].topics
