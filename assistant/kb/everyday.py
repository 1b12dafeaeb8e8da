"""Entries an everyday word names answer it only in their contexts (#11, out-of-base detection).

"voiture", "douane", "TVA", "permis", a city: each names an entry's subject (bringing a car into
Morocco, importing equipment, the VAT rates, activity licences, the region's investment centre),
and each is also the word of questions no entry answers (a car's road tax, a parcel at customs,
a tourist's VAT refund, a building permit, squatters in Nador). No lexical share of the question
tells them apart (README, out-of-base section); what does is whether the question speaks of what
the entry answers. `knowledge/vocabulary/contexts.yml` declares, per entry, its everyday words
and its contexts (its own synonyms and keywords count too); a question it matches with none of its
contexts and with words of its own beyond the everyday ones and the aspects is not in the sources.
Pure Python: the search (search.py) applies it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.kb.schema import Entry, KnowledgeError
from assistant.languages import VARIETIES
from assistant.text import search_terms

WHERE = "vocabulary/contexts.yml"


@dataclass(frozen=True)
class Contexts:
    """The terms of an entry's everyday words, and those of the contexts it answers (a word
    declared as a context is one even when an everyday phrase holds it: "CRI" in "CRI de Rabat")."""

    everyday: frozenset[str]
    contexts: frozenset[str]

    def refuses(self, terms: Sequence[str], explained: Collection[str]) -> bool:
        """Whether a question (its content terms) speaks of none of the contexts while saying more
        than the everyday words and `explained` (aspects, Morocco): "la vignette de la voiture"."""
        if self.contexts & set(terms):
            return False
        return any(t not in self.everyday and t not in explained for t in terms)


def _terms(words: Iterable[Any]) -> set[str]:
    return {t for w in words for t in search_terms(str(w))}


def _words(spec: Any, where: str) -> list[Any]:
    if spec is None:
        return []
    if not isinstance(spec, list):
        raise KnowledgeError(WHERE, where, "must be a list of words")
    return spec


def build_contexts(entries: Sequence[Entry], document: Mapping[str, Any] | None, city_region: Mapping[str, str],
                   ignored: Collection[str] = ()) -> dict[str, Contexts]:
    """entry id -> its `Contexts` (`ignored`: terms never a context, such as Morocco's names and
    function words); raises KnowledgeError naming the faulty item."""
    document = document or {}
    groups = document.get("groups") or {}
    if not isinstance(groups, dict):
        raise KnowledgeError(WHERE, "groups", "must map group names to word lists")
    by_id = {e.id: e for e in entries}
    out: dict[str, Contexts] = {}
    for entry_id, spec in (document.get("entries") or {}).items():
        where = f"entries.{entry_id}"
        entry = by_id.get(str(entry_id))
        if entry is None:
            raise KnowledgeError(WHERE, where, f"unknown entry {entry_id!r}")
        if not isinstance(spec, dict):
            raise KnowledgeError(WHERE, where, "needs `words`, `groups`, `everyday` or `places`")
        everyday = _terms(_words(spec.get("everyday"), f"{where}.everyday"))
        if spec.get("places"):
            if not (entry.subject or "").startswith("region:"):
                raise KnowledgeError(WHERE, f"{where}.places", "only a region's entry has places")
            region = (entry.subject or "").split(":", 1)[1]
            everyday |= _terms(name for name, slug in city_region.items() if slug == region)
            everyday |= _terms(w for v in VARIETIES for w in entry.synonyms.get(v, []))
        words = _words(spec.get("words"), f"{where}.words")
        for name in _words(spec.get("groups"), f"{where}.groups"):
            if name not in groups:
                raise KnowledgeError(WHERE, f"{where}.groups", f"unknown group {name!r}")
            words = [*words, *_words(groups[name], f"groups.{name}")]
        own = [w for v in VARIETIES for w in [*entry.synonyms.get(v, []), *entry.keywords.get(v, [])]]
        contexts = (_terms(words) | (_terms(own) - everyday)) - set(ignored)
        if not contexts:
            raise KnowledgeError(WHERE, where, "needs at least one context")
        out[entry.id] = Contexts(frozenset(everyday), frozenset(contexts))
    return out
