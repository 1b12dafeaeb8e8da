"""A follow-up supposing what one is ("and if I'm an auto-entrepreneur?") names a subject and keeps
the previous answer's aspect: the supposing words (`supposing` in assistant/words/conversation.yml)
are nothing of its own, like "the same"."""

from __future__ import annotations

import pytest

from assistant.kb.parts import continues
from assistant.kb.search import Query
from tests.app_env.test_conversation_context import index


@pytest.mark.parametrize(
    "text",
    [
        "ok and if im an auto entrepreneur?",
        "and if i am an auto entrepreneur?",
        "et si je suis auto-entrepreneur ?",
        "w ila kont auto entrepreneur?",
        "وإذا كنت مقاول ذاتي؟",
        "وإلا كنت أوطو أنطربرونور؟",
    ],
)
def test_a_supposed_subject_keeps_the_aspect(text: str) -> None:
    result = index().search(Query(text, intent="follow_up", intent_confidence=0.9,
                                  context_subject="tax:corporate_tax", context_facet="rates"))
    assert result.confident and result.best and result.best.entry.id == "auto-entrepreneur-tax"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ok and if im an auto entrepreneur?", "ask_legal_form"),  # as the NLU reads it: acknowledged, then continued
        ("merci, et pour un auto-entrepreneur ?", "ask_legal_form"),
        ("wakha w l'auto-entrepreneur?", "follow_up"),
    ],
)
def test_an_acknowledgement_before_the_continuation_keeps_the_aspect(text: str, intent: str) -> None:
    result = index().search(Query(text, intent=intent, intent_confidence=0.88,
                                  context_subject="tax:corporate_tax", context_facet="rates"))
    assert result.confident and result.best and result.best.entry.id == "auto-entrepreneur-tax"


@pytest.mark.parametrize(("text", "continued"), [("ok merci. et pour une SA ?", True), ("شكرا، وبالنسبة لصارل؟", True),
                                                  ("ok c quoi une SARL", False), ("merci", False)])
def test_acknowledgements_are_read_past(text: str, continued: bool) -> None:
    assert continues(text) is continued
