"""A name's other spellings with the connecting word of another language.

Code-switching keeps the nouns of a name and swaps the little word joining them: "compte bancaire
l la société", "compte bancaire dyal la société", "compte bancaire pour la société" are the entry's
"compte bancaire de la société". A name holding one of these words (`assistant/words/
conversation.yml`, `connectors`) is also found with any other in its place.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import product
from typing import Final

from assistant.lexicon import load
from assistant.text import search_terms

#: At most this many connectors in one name are swapped (the variants multiply).
MOST_SWAPPED: Final = 2


@lru_cache(maxsize=1)
def connectors() -> frozenset[str]:
    """The connecting words of every language, as search terms."""
    return frozenset(t for words in load("conversation")["connectors"].values() for w in words for t in search_terms(w))


def connector_variants(key: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    """`key` (a name's search terms) with each inner connector replaced by the others; nothing for
    a name of one word or without a connector between two words."""
    words = connectors()
    places = [i for i in range(1, len(key) - 1) if key[i] in words]
    if not places or len(places) > MOST_SWAPPED:
        return
    choices = [sorted(words) if i in places else [term] for i, term in enumerate(key)]
    for variant in product(*choices):
        if variant != key:
            yield variant
