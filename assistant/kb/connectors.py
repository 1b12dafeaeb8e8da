"""A name's other spellings with the connecting word of another language.

Code-switching keeps the nouns of a name and swaps the little word joining them: "compte bancaire
l la société", "compte bancaire dyal la société", "compte bancaire pour la société" are the entry's
"compte bancaire de la société", and "les frais ديال le notaire" its "frais du notaire". A name
holding one of these words (`assistant/words/conversation.yml`, `connectors`) is also found with
any other in its place, and, when it has one, with or without an article after it (`connector_articles`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import product
from typing import Final

from assistant.lexicon import load
from assistant.text import search_terms

#: At most this many connectors in one name are swapped (the variants multiply); articles are
#: added or dropped only after the connector of a name that has one.
MOST_SWAPPED: Final = 2


def _terms(key: str) -> frozenset[str]:
    return frozenset(t for words in load("conversation")[key].values() for w in words for t in search_terms(w))


@lru_cache(maxsize=1)
def connectors() -> frozenset[str]:
    """The connecting words of every language, as search terms."""
    return _terms("connectors")


@lru_cache(maxsize=1)
def articles() -> frozenset[str]:
    """The articles that may follow a connector ("de la", "dyal l", "ديال le"), as search terms."""
    return _terms("connector_articles")


def connector_variants(key: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """`key` (a name's search terms) with each inner connector replaced by the others (and, for
    a name with one connector, the article after it added, dropped or replaced); nothing for a
    name of one word or without a connector between two words."""
    words = connectors()
    places = [i for i in range(1, len(key) - 1) if key[i] in words]
    if not places or len(places) > MOST_SWAPPED:
        return
    after = [(a,) for a in sorted(articles())]
    slots: list[list[tuple[str, ...]]] = []
    skip = -1
    for i, term in enumerate(key):
        if i == skip:
            continue
        if i not in places:
            slots.append([(term,)])
            continue
        slots.append([(c,) for c in sorted(words)])
        if len(places) == 1:
            if i + 2 < len(key) and key[i + 1] in articles():
                skip = i + 1  # the article is among the choices
            slots.append([(), *after])
    for parts in product(*slots):
        variant = tuple(t for part in parts for t in part)
        if variant != key:
            yield variant
