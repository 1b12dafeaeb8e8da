"""First questions in Arabizi told with a story (issue #10, session 37, helper az15: tests/data/dev_conversations/
az15.yml): "ahlan, ana 3ayech f montreal, lkhedma dyali kolha hna, walakin bghit n7el compte f chi banka f
lmaghrib bla ma nji, kifach ndir?" got "no reliable answer": its fillers ("ahlan", "kolha", "walakin") and the
place one lives ("3ayech f montreal") counted as words the bank account's entry lacks. Also a Darija verb with
its object glued ("nsedha": I close it) and the Darija words of a factory, a contract or signing it."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.parts import lives_abroad, without_introduction
from assistant.kb.search import Query
from assistant.kb.spelling import SpellingCorrector
from assistant.kb.terms import STOPWORDS
from assistant.text import search_terms
from tests.app_env.kb_index import index


@pytest.mark.parametrize(("typed", "verb"), [("nsedha", "nsed"), ("nsedhom", "nsed"), ("kansedha", "kansed")])
def test_a_darija_verb_with_its_object_glued_is_the_verb(typed: str, verb: str) -> None:
    assert SpellingCorrector({verb: 3}).correct(typed) == verb


@pytest.mark.parametrize(("typed", "known"), [("tajha", "taj"), ("nsaynoha", "nsed"), ("bladha", "blad")])
def test_a_word_ending_like_a_pronoun_is_no_verb_unless_a_known_verb_is_left(typed: str, known: str) -> None:
    # (no person before it, or too short a verb left, or nothing the base knows)
    assert SpellingCorrector({known: 3}).correct(typed) == typed


@pytest.mark.parametrize(("text", "rest"), [
    ("ahlan, ana 3ayech f montreal, bghit n7el compte", "ahlan, ana bghit n7el compte"),
    ("slm, ana khdam f italia w bghit nftah mchro3", "slm, w bghit nftah mchro3"),
    ("انا خدام فألمانيا وبغيت نحل شركة", "وبغيت نحل شركه"),
])
def test_living_or_working_abroad_introduces_the_writer(text: str, rest: str) -> None:
    assert without_introduction(text) == rest and lives_abroad(text)


def test_living_in_morocco_is_what_is_asked() -> None:
    assert not lives_abroad("wach khassni nkoun 3ayech f lmaghrib")
    assert "lmaghrib" in without_introduction("wach khassni nkoun 3ayech f lmaghrib")


def test_the_fillers_of_a_story_are_function_words_not_the_family() -> None:
    for word in ("walakin", "kolha", "bghina", "momkin", "بغينا", "شوية"):
        assert set(search_terms(word)) <= STOPWORDS, word
    for word in ("mama", "lwalida", "baba"):  # "la pension dyal lwalida" is a survivor's pension
        assert not set(search_terms(word)) & STOPWORDS, word


@pytest.mark.parametrize(("text", "intent", "subjects", "expected"), [
    ("ahlan, ana 3ayech f montreal, lkhedma dyali kolha hna, walakin bghit n7el compte f chi banka f lmaghrib bla ma nji, "
     "kifach ndir?", "ask_exchange", (), "bank-account-non-resident"),
    ("charika ma bqatch khdama, kifach nsedha b l9anoun", "ask_creation", (), "closing-company"),
    ("bghit nkhdem m3aya wa7d l3amel f lma7al, chno lkontra li khass nsaynoha", "ask_tax", (), "employment-contract"),
    ("fin nl9a ard f zone industrielle bach nbni fiha lma3mal", "ask_region", ("procedure:industrial_land",),
     "industrial-land"),
])
def test_arabizi_first_questions_told_with_a_story(text: str, intent: str, subjects: tuple[str, ...], expected: str) -> None:
    """(the intents and subjects are the NLU's readings of these messages, however wrong: "ask_tax" for the contract)"""
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=0.99, subjects=subjects))
    assert result.confident and not result.ambiguous and result.best and result.best.entry.id == expected, \
        [h.entry.id for h in result.hits]
