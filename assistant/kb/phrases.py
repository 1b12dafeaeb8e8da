"""Phrases the knowledge base knows, found in text: a PhraseTable finds the longest known
phrases on normalised, lightly stemmed terms (a preposition before a place belongs to the place).

Its own module because every reader of names uses it (the vocabulary, the search, the short
answers, the linkers), while the vocabulary's contents and their loading change for other reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from assistant.kb.connectors import connector_variants
from assistant.kb.equivalents import canonical, mixed
from assistant.lexicon import load
from assistant.text import search_terms


@dataclass(frozen=True)
class Phrase:
    entity: str  # legal_form, procedure, tax, programme, region, exchange, city, facet
    value: str  # canonical value: sarl, mdm_invest, oriental, "Oujda", capital…
    text: str  # surface form as written in the knowledge base


#: Entities naming a place (a preposition before one belongs to it).
PLACE_ENTITIES: Final = frozenset({"city", "region"})


@lru_cache(maxsize=1)
def home_terms() -> frozenset[str]:
    """The words of Morocco itself (`assistant/words/conversation.yml`, `home`)."""
    return frozenset(t for words in load("conversation")["home"].values() for w in words for t in search_terms(w))


@lru_cache(maxsize=1)
def place_prepositions() -> frozenset[str]:
    """Prepositions that open a place (`assistant/words/conversation.yml`, `place_prepositions`)."""
    return frozenset(t for words in load("conversation")["place_prepositions"].values() for w in words
                     for t in search_terms(w))


def longest_matches(
    terms: Sequence[str],
    lookup: Mapping[tuple[str, ...], Phrase],
    longest: int,
    min_size: int = 1,
    accept: Callable[[Phrase, int, int], bool] | None = None,
) -> Iterator[tuple[int, Phrase | None]]:
    """Walks `terms` left to right, taking at each position the longest run of at least
    `min_size` terms that is a key of `lookup` (and that `accept(phrase, start, size)` takes):
    yields (start, phrase) for each phrase found and (index, None) for each term left over.
    The one scan behind finding, stripping and linker-free matching of names."""
    i = 0
    while i < len(terms):
        for size in range(min(longest, len(terms) - i), max(min_size, 1) - 1, -1):
            phrase = lookup.get(tuple(terms[i : i + size]))
            if phrase is not None and (accept is None or accept(phrase, i, size)):
                yield i, phrase
                i += size
                break
        else:
            yield i, None
            i += 1


class PhraseTable:
    """Finds known phrases in text, on normalised and lightly stemmed terms (`mixed`: also those a message
    mixing French and English splits between the two languages, equivalents.py)."""

    def __init__(self, phrases: Iterable[Phrase], *, mixed: bool = False) -> None:
        self.phrases = list(phrases)
        self.mixed = mixed
        self._lookup: dict[tuple[str, ...], Phrase] = {}
        for phrase in self.phrases:
            key = tuple(search_terms(phrase.text))
            # (and as a normalised text reads again: the search reads the phrases in its corrected
            # text, where "الولادة", normalised "لاده", becomes "اده": "رخصة الولادة" is still found)
            for form in dict.fromkeys([key, tuple(search_terms(" ".join(key)))]):
                if form and form not in self._lookup:
                    self._lookup[form] = phrase
        # (and with another language's connecting word, after every name as written: "compte bancaire l la société")
        for form, phrase in list(self._lookup.items()):
            for variant in connector_variants(form):
                self._lookup.setdefault(variant, phrase)
        self._longest = max((len(k) for k in self._lookup), default=0)
        # the first words of the places this table names, and of Morocco itself
        self._places = {k[0] for k, p in self._lookup.items() if p.entity in PLACE_ENTITIES} | home_terms()
        self._canonical: dict[tuple[str, ...], Phrase] | None = None  # (built when first used)

    def _canonical_lookup(self) -> dict[tuple[str, ...], Phrase]:
        if self._canonical is None:
            self._canonical = {}
            for form, phrase in self._lookup.items():
                self._canonical.setdefault(canonical(form), phrase)
        return self._canonical

    def _before_place(self, terms: Sequence[str], end: int) -> bool:
        """Whether a phrase ending at `end` ends with a preposition that opens the place after it:
        "SARL au Maroc" names the SARL in Morocco, not the SARL AU."""
        return end < len(terms) and terms[end - 1] in place_prepositions() and terms[end] in self._places

    def ends_before_place(self, words: str, rest: str) -> bool:
        """Whether a phrase written `words`, followed by `rest`, ends with the preposition opening
        the place `rest` starts with ("SARL au" before "Maroc": the SARL in Morocco)."""
        terms, after = search_terms(words), search_terms(rest)
        return len(terms) > 1 and bool(after) and self._before_place([*terms, after[0]], len(terms))

    def names(self, text: str) -> bool:
        """Whether the whole text is one phrase of this table."""
        return tuple(search_terms(text)) in self._lookup

    def strip(self, text: str, min_terms: int = 1) -> str:
        """The text's terms without the phrases of this table of at least `min_terms` terms
        (normalised, space-joined)."""
        terms = search_terms(text)
        return " ".join(terms[i] for i, phrase in longest_matches(terms, self._lookup, self._longest, min_terms)
                        if phrase is None)

    def inside(self, text: str) -> list[Phrase]:
        """Phrases of another name found only inside the longer names `find` reads in `text` ("SARL"
        in "les statuts ديال SARL", a name of the statutes): a part of a name, not a name of its own."""
        terms = search_terms(text)
        found: list[Phrase] = []
        for start, phrase in longest_matches(terms, self._lookup, self._longest):
            if phrase is None:
                continue
            size = next((n for n in range(min(self._longest, len(terms) - start), 1, -1)
                         if self._lookup.get(tuple(terms[start:start + n])) is phrase), 1)
            found += [inner for i in range(start, start + size) for j in range(i + 1, start + size + 1)
                      if j - i < size and (inner := self._lookup.get(tuple(terms[i:j]))) is not None
                      and (inner.entity, inner.value) != (phrase.entity, phrase.value)]
        return found

    def find(self, text: str, entity_types: Iterable[str] | None = None) -> list[Phrase]:
        """Phrases found in `text`, longest match first, without overlaps."""
        wanted = set(entity_types) if entity_types else None
        terms = search_terms(text)

        def accept(phrase: Phrase, start: int, size: int) -> bool:
            if size > 1 and self._before_place(terms, start + size):
                return False
            return wanted is None or phrase.entity in wanted

        found = [p for _, p in longest_matches(terms, self._lookup, self._longest, accept=accept) if p is not None]
        if self.mixed and mixed(terms):
            # (a name split between French and English: "prend the notary" is "prend le notaire")
            named = {(p.entity, p.value) for p in found}
            found += [p for _, p in longest_matches(canonical(terms), self._canonical_lookup(), self._longest, accept=accept)
                      if p is not None and (p.entity, p.value) not in named and p.entity != "city"]
        return found
