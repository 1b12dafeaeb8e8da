"""Names of subjects written with another linking word between their words.

Darija and Arabizi join the words of a name with one of several small words ("compte bancaire
dyal charika", "compte bancaire d charika", "compte bancaire l charika", "الكونط ديال الشركة",
"الكونط د الشركة"), and people pick any of them or none: the vocabulary lists a few spellings
of each name, never all. A name is also found with another linking word in its place, or none,
when its other words come in the same order (`linkers` in assistant/words/conversation.yml).
Used by the knowledge search only, when the name as written names no subject. Pure Python.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from assistant.kb.phrases import PLACE_ENTITIES, Phrase, longest_matches
from assistant.lexicon import raw_entries
from assistant.text import search_terms

#: A name is matched without its linking words only when at least this many words remain.
MIN_TERMS = 2


@cache
def linker_terms() -> frozenset[str]:
    """The linking words, as search terms (`linkers` in assistant/words/conversation.yml)."""
    return frozenset(t for entry in raw_entries("conversation", "linkers") for t in search_terms(entry))


class LinkedNames:
    """The vocabulary's names holding a linking word, keyed on their other words."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        linkers = linker_terms()
        self._lookup: dict[tuple[str, ...], Phrase] = {}
        for phrase in phrases:
            terms = search_terms(phrase.text)
            if phrase.entity in PLACE_ENTITIES or not linkers & set(terms):
                continue
            key = tuple(t for t in terms if t not in linkers)
            if len(key) >= MIN_TERMS:
                self._lookup.setdefault(key, phrase)
        self._longest = max((len(k) for k in self._lookup), default=0)

    def find(self, text: str) -> list[Phrase]:
        """The names in `text` once linking words are left out on both sides, longest first."""
        linkers = linker_terms()
        terms = [t for t in search_terms(text) if t not in linkers]
        return [p for _, p in longest_matches(terms, self._lookup, self._longest, MIN_TERMS) if p is not None]
