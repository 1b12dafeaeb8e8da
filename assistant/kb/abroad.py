"""Creating a legal form from abroad: someone who said they live abroad ("ana sakn f Canada",
"وأنا مقيم في كندا", "while living in the UK": the self-introduction parts.py removes) and asks only
how to create a legal form ("kifach ncree une SARL ?", "كيف أنشئ SARL؟", "how do i set up a SARL?")
with a question word, asks how to do it from where they live: the residence aspect, which the form's own entry answers
when it has one (the auto-entrepreneur's eligibility), its general entry otherwise (creating a
company from abroad), as when the question says so ("créer une SARL depuis l'étranger"). Not when
another aspect is asked ("ana f Bljika, ch7al l capital minimum dyal SARL?": the SARL's capital), nor
without a question word ("je vis en France, je veux créer une SARL": what a SARL is, context.to_create)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

from assistant.kb.context import LEGAL_FORM_KIND
from assistant.lexicon import entries

#: the aspect of doing something from where one lives (knowledge/vocabulary/facets.yml)
RESIDENCE: Final = "residence"
#: the aspects a question asking whether one can create from abroad names beside it ("wach n9der")
WHETHER: Final = frozenset({"eligibility", RESIDENCE})


def created_from_abroad(abroad: bool, text: str, subjects: Sequence[str], aspects: Collection[str],
                        terms: Collection[str], leftover: Collection[str], creating: Collection[str]) -> list[str]:
    """[the residence aspect] when a legal form is asked to be created from abroad, else []: the
    writer said they live abroad, `text` (normalised) holds a question word, `subjects` are only
    legal forms, `aspects` (the aspects' names) none but whether one can, `terms` hold a word of
    creating and `leftover` (the words naming neither a subject nor an aspect) none but such words."""
    if not (abroad and subjects and all(s.startswith(LEGAL_FORM_KIND) for s in subjects)):
        return []
    if entries("conversation", "question_words").isdisjoint(text.split()) or not set(aspects) <= WHETHER:
        return []
    return [RESIDENCE] if set(terms) & set(creating) and set(leftover) <= set(creating) else []
