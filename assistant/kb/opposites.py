"""Words of opposite meaning: a question asking the maximum is never answered by an entry named
by the minimum, and the other way round ("وما هو الحد الأقصى؟" shares "الحد" with "الحد الأدنى",
the minimum contribution's name; "c koi le plafond ?" is no minimum capital). Only the entry's
title and synonyms count (what it is), not its keywords: the auto-entrepreneur's conditions hold
"âge minimum" and still answer a question about its ceiling's conditions. A question naming the
entry's subject still gets it ("le capital maximum d'une SARL ?": its capital entry says there is
only a minimum; search.py). The words are data:
`assistant/words/opposites.yml`. Pure Python.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Final

from assistant.kb.schema import Entry
from assistant.kb.terms import content_terms
from assistant.lexicon import raw_entries
from assistant.text import search_terms

#: The sides of opposite meaning (keys of opposites.yml), pairwise.
PAIRS: Final = (("maximum", "minimum"),)


@cache
def side_terms(side: str) -> frozenset[str]:
    """The search terms of one side ("max", "plafond", "اقصي", "سقف"…)."""
    return frozenset(t for word in raw_entries("opposites", side) for t in search_terms(word))


def named_terms(entry: Entry, *, keywords: bool = False) -> frozenset[str]:
    """The terms naming an entry: its titles and synonyms (and its keywords), in every variety."""
    texts = [*entry.title.values(), *(w for words in entry.synonyms.values() for w in words)]
    if keywords:
        texts += [w for words in entry.keywords.values() for w in words]
    return frozenset(t for text in texts for t in content_terms(text))


def outweighed(terms: Collection[str], held: Collection[str], sibling_held: Collection[Collection[str]]) -> bool:
    """Whether an entry holding only the opposite side in its words (`held`: titles, synonyms,
    keywords; MDM Invest's conditions hold "montant minimum") gives way to another entry of its
    subject holding the side asked (`sibling_held`: its overview holds "plafond"): "ch7al max n9der
    nakhod?" after MDM Invest is its ceiling, not its conditions."""
    return opposed(terms, held) and any(not opposed(terms, other) and _holds_asked(terms, other) for other in sibling_held)


def _holds_asked(terms: Collection[str], held: Collection[str]) -> bool:
    asked = set(terms)
    return any(asked & side_terms(one) and set(held) & side_terms(one)
               for first, second in PAIRS for one in (first, second))


def opposed(terms: Collection[str], named: Collection[str]) -> bool:
    """Whether a question's `terms` ask one side of a pair and not the other, and an entry's
    `named` terms name only that other side: the entry answers the opposite."""
    asked, held = set(terms), set(named)
    for first, second in PAIRS:
        for one, other in ((first, second), (second, first)):
            if (asked & side_terms(one) and not asked & side_terms(other)
                    and held & side_terms(other) and not held & side_terms(one)):
                return True
    return False
