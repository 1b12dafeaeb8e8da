"""English and French as people type them on a phone (issue #10): phone spellings written out
before searching, thanks before a follow-up, and a follow-up naming only a place after an answer
of an aspect in general, on the real knowledge base (pure functions; the dev conversations of
tests/data/dev_conversations/en_fr.yml run them in conversations)."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.context import in_place
from assistant.kb.parts import spell_out_phone_words
from assistant.kb.search import Query
from tests.app_env.kb_index import searched
from tests.app_env.test_conversation_context import index


@pytest.mark.parametrize(
    ("text", "variety", "spelled"),
    [
        ("ki peut le faire ?", "fr", "qui peut le faire ?"),
        ("kel est le delai pr une sarl", "fr", "quel est le delai pour une sarl"),
        ("and 4 an sa?", "en", "and for an sa?"),
        ("wat docs do i need 2 start", "en", "what documents do i need to start"),
        # a digit is a word only between two words, never in a number, and only in English
        ("capital of 4 000 dh", "en", "capital of 4 000 dh"),
        ("4 partners", "en", "4 partners"),
        ("une sarl a 2 associes", "fr", "une sarl a 2 associes"),
        ("et pr 1 sarl ?", "fr", "et pour une sarl ?"),
        ("une sarl de 1 000 dh", "fr", "une sarl de 1 000 dh"),
        # no spelling of another variety: "ki" is no French "qui" in an English message
        ("u can", "fr", "u can"),
    ],
)
def test_phone_spellings_are_written_out_in_the_message_variety(text: str, variety: str, spelled: str) -> None:
    assert spell_out_phone_words(text, variety) == spelled


@pytest.mark.parametrize(
    ("text", "subject", "facet", "expected"),
    [
        # the subject alone after "4": the previous aspect is kept
        ("and 4 an SA?", "legal_form:sarl", "capital", "sa-capital"),
        ("et pr 1 sarl ?", "legal_form:sa", "capital", "sarl-capital"),
        # "ki peut" is "qui peut": the eligibility aspect
        ("ki peut le faire ?", "legal_form:auto_entrepreneur", "overview", "auto-entrepreneur-eligibility"),
        ("wat docs do i need 2 start a company", None, None, "required-documents"),
    ],
)
def test_phone_spellings_find_the_aspect(text: str, subject: str | None, facet: str | None, expected: str) -> None:
    result = searched(text, "follow_up" if subject else "ask_creation", whole=False, clear=True,
                      context_subject=subject, context_facet=facet)
    assert result.best and result.best.entry.id == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [("ok merci, et comment faire la demande ?", "fr"), ("thanks! and how do i apply?", "en"), ("cheers, how do i apply", "en")],
)
def test_thanks_before_a_follow_up_ask_nothing(text: str, language: str) -> None:
    result = search_message(index(), Query(text=text, intent="follow_up", intent_confidence=0.9,
                                           context_subject="programme:mdm_invest", context_facet="eligibility"))
    assert result.confident and result.best and result.best.entry.id == "mdm-invest-procedure", (language, result.hits)


@pytest.mark.parametrize(
    ("text", "facet", "expected"),
    [
        ("is it the same in Tangier?", "steps", "creation-steps"),
        ("c'est pareil a tanger ?", "steps", "creation-steps"),
        ("et a Agadir ?", "fees", "creation-costs"),
        ("w f tanja?", "time", "creation-time"),
        ("وطنجة؟", "steps", "creation-steps"),
    ],
)
def test_a_place_after_an_aspect_in_general_asks_that_aspect_there(text: str, facet: str, expected: str) -> None:
    result = index().search(Query(text=text, intent="follow_up", intent_confidence=0.9, context_facet=facet))
    assert result.confident and result.best and result.best.entry.id == expected, [h.entry.id for h in result.hits]


def test_a_place_with_other_words_or_without_a_conversation_is_not_the_previous_aspect() -> None:
    vocabulary, ids = index().vocabulary, index().by_id.keys()
    assert in_place("steps", ["same"], vocabulary, ids) == "creation-steps"
    assert in_place("steps", ["weather"], vocabulary, ids) is None  # "the weather in Tangier?"
    assert in_place(None, [], vocabulary, ids) is None
    assert in_place("overview", [], vocabulary, ids) is None
    # a place alone, in no conversation, is still no question about a business
    assert not index().search(Query(text="quel temps fait-il a Tanger ?", context_facet="steps")).confident
    assert not index().search(Query(text="is it the same in Tangier?")).hits
