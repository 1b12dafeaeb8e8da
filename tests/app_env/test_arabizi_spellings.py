"""Arabizi and Darija spellings of the knowledge vocabulary (issue #10): another spelling of a word
is the word everywhere ("chrika", "cherka", "sharika" are "charika"; "سوسيتي" is a company), and a
French word typed as it sounds is the French word ("sosyete", "otoantreprener"). Seen writing
tests/data/kb_single_dev4.yml: "kifash n7el chrika f lmaghrib" got the way from abroad, "chrika"
being spelled that way only in the SARL's entries and "lmaghrib" weighing in the residence words."""

from __future__ import annotations

from functools import lru_cache

import pytest

from assistant.actions.knowledge import search_message
from assistant.kb.schema import load_directory
from assistant.kb.search import KnowledgeIndex, Query
from assistant.kb.spelling import SpellingCorrector, other_spellings, sound_key
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
from tests.app_env.conftest import KNOWLEDGE


@lru_cache(maxsize=1)
def index() -> KnowledgeIndex:
    entries = load_directory(KNOWLEDGE)
    return KnowledgeIndex(entries, build_vocabulary(entries, read_vocabulary_documents(KNOWLEDGE)))


def answer(text: str, intent: str | None = None) -> str | None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=0.9 if intent else 0.0))
    return result.best.entry.id if result.confident and result.best else None


@pytest.mark.parametrize(("typed", "word"), [("sosyete", "societe"), ("otoantreprener", "autoentrepreneur"),
                                             ("sertifika", "certificat"),
                                             ("antreprise", "entreprise"), ("domisilyasion", "domiciliation")])
def test_a_french_word_typed_as_it_sounds_sounds_like_it(typed: str, word: str) -> None:
    assert sound_key(typed) == sound_key(word)


def test_a_short_sound_key_corrects_nothing() -> None:
    corrector = SpellingCorrector({"visa": 3, "vise": 1})
    assert corrector.correct("vaza") == "vaza"


def test_other_spellings_are_read_as_the_word() -> None:
    spellings = other_spellings()
    assert {spellings[t] for t in ("chrika", "cherka", "sharika")} == {"charika"}
    corrector = SpellingCorrector({"charika": 9, "chrika": 1})
    assert corrector.correct("chrika") == "charika"  # even though an entry spells it that way


@pytest.mark.parametrize(("text", "intent", "expected"), [
    ("kifash n7el chrika f lmaghrib", "ask_creation", "creation-steps"),
    ("how do i open a chrika f lmaghrib", "ask_creation", "creation-steps"),
    ("chno hwa statut dyal otoantreprener", "ask_legal_form", "auto-entrepreneur-overview"),
    ("كيفاش ندير سوسيتي فالمغرب", "ask_creation", "creation-steps"),
    ("شحال الإمبو على السوسيتي", "ask_tax", "corporate-tax"),
])
def test_arabizi_and_darija_spellings_find_the_entry(text: str, intent: str, expected: str) -> None:
    assert answer(text, intent) == expected


def test_the_sound_of_a_french_word_is_read_in_darija_only() -> None:
    corrector = SpellingCorrector({"societe": 3})
    assert corrector.correct("sosyete") == "sosyete"  # outside Darija, French words keep their spelling
    assert corrector.correct("sosyete", by_sound=True) == "societe"
