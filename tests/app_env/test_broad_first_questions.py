"""Broad first questions (#10, "clarify less, and better"): a word alone held by several subjects'
entries ("ما هو السقف؟"), an aspect asked alone that the NLU could not read ("ما هي الرسوم؟"), an Arabic
plural ("ما هي الإعفاءات؟") get their clarifying question, never "not in my sources"; a topic's word
beside "available" is the topic's overview; and a short question keeps its writer's language (an
elided French article is French, an Arabizi question borrowing an English word is not English).
Written from /work/shared/how-people-write.md, independently of the held-out conversations
(tests/data/dev_conversations/clarification4.yml has them as conversations)."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.search import Query
from assistant.nlu.langid import identify, language_slot_changes
from assistant.short_language import with_subject_words
from tests.app_env.test_vague_meanings import index


def options(text: str, intent: str, confidence: float) -> set[str]:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=confidence))
    assert result.worth_asking and not result.outside, ([h.entry.id for h in result.hits], [e.id for e in result.options])
    return {e.id for e in result.options}


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "meanings"),
    [
        ("ما هو السقف؟", "nlu_fallback", 0.45, {"auto-entrepreneur-tax", "mdm-invest"}),
        ("شحال هو السقف؟", "ask_legal_form", 0.64, {"auto-entrepreneur-tax", "mdm-invest"}),
        ("le plafond ?", "nlu_fallback", 0.45, {"auto-entrepreneur-tax", "mdm-invest", "damane-istitmar"}),
        ("ما هي الرسوم؟", "nlu_fallback", 0.45, {"creation-costs", "notary-fees", "negative-certificate-fee"}),
        ("ما هي التكاليف؟", "nlu_fallback", 0.45, {"creation-costs", "notary-fees", "negative-certificate-fee"}),
        ("ch7al ghadi ykalfni?", "nlu_fallback", 0.45, {"creation-costs", "notary-fees", "negative-certificate-fee"}),
        ("ما هي الإعفاءات؟", "ask_tax", 1.0, {"vat", "minimum-contribution", "taxe-professionnelle"}),
    ],
)
def test_a_broad_first_question_gets_its_clarifying_question(text: str, intent: str, confidence: float,
                                                              meanings: set[str]) -> None:
    assert options(text, intent, confidence) == meanings


def test_an_aspect_alone_the_nlu_could_not_read_is_still_not_guessed() -> None:
    result = search_message(index(), Query(text="le délai", intent="nlu_fallback", intent_confidence=0.45))
    assert not result.confident


@pytest.mark.parametrize(
    ("text", "intent"),
    [("what aid is available?", "ask_creation"), ("ما هو الدعم المتوفر؟", "ask_financing")],
)
def test_a_topic_word_beside_available_is_the_topic_overview(text: str, intent: str) -> None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=1.0))
    assert result.confident and result.best is not None and result.best.entry.id == "financing-overview"


@pytest.mark.parametrize(
    ("text", "language"),
    [("l'immatriculation ?", "fr"), ("l'enregistrement ?", "fr"), ("chno howa business plan?", "fr"),
     ("chno l business plan?", "fr"), ("salam, what is the capital?", "en"), ("land?", "en"),
     # (an Arabizi word English writes too is no Arabizi beside English words)
     ("bank account?", "en"), ("which bank?", "en"), ("wach lbank?", "fr"), ("bank dyal mre?", "fr"), ("la bank?", "fr")],
)
def test_a_short_first_question_keeps_its_language(text: str, language: str) -> None:
    detection = with_subject_words(identify(text).as_dict(), text) or {}
    assert language_slot_changes({}, detection).get("language") == language


def test_an_arabizi_reading_never_switches_an_english_conversation() -> None:
    text = "chno howa business plan?"
    detection = with_subject_words(identify(text).as_dict(), text) or {}
    assert "language" not in language_slot_changes({"language": "en", "language_confirmed": True}, detection)
