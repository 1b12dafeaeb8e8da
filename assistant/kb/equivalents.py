"""A message mixing French and English read in one language, for the names it holds (#10 item 3).

Code-switching splits a name between the two languages: "combien prend the notary pour rediger les statuts"
holds the entry's "prend le notaire" with its article and noun in English, "how much are the frais du notary"
its "frais du notaire". A PhraseTable reading such a message also looks for its names in the message's
canonical form, every word of either language in its French form and every article the same
(`assistant/words/equivalents.yml`), against its names in that form too. Only a message holding words of both
languages (`markers`) is read so: a French or an English message finds its names as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from assistant.lexicon import load
from assistant.text import search_terms


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    """Each French or English word's canonical term (its French equivalent's first term; the articles one)."""
    table: dict[str, str] = {}
    for french, english in load("equivalents")["words"].items():
        target = search_terms(french)
        if len(target) != 1:
            continue  # (a name of several words is read word by word)
        for word in [french, *english]:
            terms = search_terms(word)
            if len(terms) == 1:
                table.setdefault(terms[0], target[0])
    articles = [t for w in ("le", "la", "les", "l", "un", "une", "the", "a", "an") for t in search_terms(w)]
    return table | dict.fromkeys(articles, "le")


@lru_cache(maxsize=1)
def _markers() -> tuple[frozenset[str], frozenset[str]]:
    markers = load("equivalents")["markers"]
    french, english = (frozenset(t for w in markers[lang] for t in search_terms(w)) for lang in ("fr", "en"))
    return french, english


def mixed(terms: Sequence[str]) -> bool:
    """Whether search terms hold words only French writes and words only English writes."""
    french, english = _markers()
    present = set(terms)
    return bool(present & (french - english)) and bool(present & (english - french))


def canonical(terms: Sequence[str]) -> tuple[str, ...]:
    """Search terms in their canonical form (French, one article)."""
    table = _canonical()
    return tuple(table.get(t, t) for t in terms)
