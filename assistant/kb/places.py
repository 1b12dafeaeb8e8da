"""A place named in a question: where the project will be, or what is asked about.

A city or region named beside what is asked of the project there ("bghit ndir projet f fes, wach
kayn chi da3m?", "ما هو الشكل القانوني المناسب لمشروع تجاري في أكادير؟") is context: the entry for
what is asked answers, not the region's description. When the question asks about the place
itself (where to go, whom to contact: `place_questions` in assistant/words/conversation.yml), or
names the place's office, the CRI ("et le CRI de Tanger, il est où ?", "وأين يوجد المركز الجهوي
للاستثمار هناك؟" after the steps in Dakhla), the region's entry answers. Pure Python.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

from assistant.kb.phrases import PLACE_ENTITIES
from assistant.kb.query import Result
from assistant.kb.vocabulary_model import Vocabulary
from assistant.lexicon import contains_phrase, phrase_words
from assistant.text import normalize, search_terms, words

#: The kind of subject a place is (its entry is the region's, with its CRI).
PLACE_KIND: Final = "region:"
#: The subject of the regional investment centres: named with a place, it is that place's own (its region's entry).
PLACE_OFFICE: Final = "procedure:cri"
#: The NLU's topic for questions about regions and their CRIs.
PLACES_TOPIC: Final = "regions"


def place_terms(vocabulary: Vocabulary, text: str) -> set[str]:
    """The terms of the places a text names ("fes", "ناظور")."""
    return {t for p in vocabulary.find(text) if p.entity in PLACE_ENTITIES for t in search_terms(p.text)}


def asks_place(vocabulary: Vocabulary, text: str) -> bool:
    """Whether a message asks about a place itself (where to go, whom to contact), a word of an
    aspect's phrase apart ("where do i start", "fin nbda": the steps)."""
    tokens = words(normalize(text))
    found = [p for p in phrase_words("conversation", "place_questions") if contains_phrase(tokens, p)]
    if not found:
        return False
    aspect_words = {w for f in vocabulary.facet_table.find(text) for w in words(normalize(f.text))}
    return any(not set(p) <= aspect_words for p in found)


def office_place(subjects: Sequence[str], context_subject: str | None) -> str | None:
    """The place whose office (the CRI) a message names, with the place named or the conversation's
    ("et le CRI de Tanger ?", "وأين يوجد المركز الجهوي للاستثمار هناك؟" after the steps in Dakhla); None
    when the message names anything else, or no place or several."""
    if PLACE_OFFICE not in subjects:
        return None
    places = [s for s in subjects if s.startswith(PLACE_KIND)]
    if len(places) + 1 != len(subjects):
        return None
    if not places and context_subject and context_subject.startswith(PLACE_KIND):
        places = [context_subject]
    return places[0] if len(places) == 1 else None


def context_topic(named: Collection[str], asked_place: bool, topic_words: str | None, topic: str | None,
                  intent_confidence: float, sure: float) -> str | None:
    """The topic a question naming only places asks about, the places being where the project will
    be: a word of a topic ("aides", "da3m", "تمويل"), or the NLU's topic when it is sure of it and it
    is not the regions'. None: the places are what is asked (or nothing else is)."""
    if not named or any(not s.startswith(PLACE_KIND) for s in named) or asked_place:
        return None
    wanted = topic_words or (topic if intent_confidence >= sure else None)
    return wanted if wanted != PLACES_TOPIC else None


def beside_places(named: Collection[str], asked_place: bool) -> set[str]:
    """The subjects a question names beside its places, the place not being what it asks ("can my siège
    social be my parents' house in meknes?", "le siège social peut-il être chez mes parents à Meknès ?": the
    registered office, where the NLU may read a question on the region): empty when the question asks about the
    place, names its office (the CRI: `office_place`) or names places only."""
    places = {s for s in named if s.startswith(PLACE_KIND)}
    if not places or asked_place or PLACE_OFFICE in named:
        return set()
    return set(named) - places


def answers_subject(result: Result, subjects: Collection[str]) -> bool:
    """Whether a search made with the places as context answers, without a doubt, on one of `subjects`."""
    best = result.best
    return (best is not None and not result.outside and result.confident and not result.ambiguous
            and best.entry.subject in subjects)


def answers_topic(result: Result, topic: str) -> bool:
    """Whether a search made with the places as context answers in `topic` (or asks between its entries)."""
    best = result.best
    if best is None or result.outside:
        return False
    if result.ambiguous:
        return (result.confident or result.worth_asking) and all(o.topic == topic for o in result.options)
    return result.confident and best.entry.topic == topic
