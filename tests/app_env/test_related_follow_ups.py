"""A follow-up answered by an entry the previous answer offered as related (its buttons): the NLU's
topic for the follow-up's own words is no evidence against it."""

from __future__ import annotations

import pytest

from assistant.kb.search import Query
from tests.app_env.test_conversation_context import index


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("واش خاصني نحط الفلوس فالبنكة؟", "ask_exchange", 0.99),  # read as a currency question
        ("wach khasni n7et lflous f lbanka?", "ask_creation", 1.0),
    ],
)
def test_a_related_entry_answers_the_follow_up(text: str, intent: str, confidence: float) -> None:
    result = index().search(Query(text, intent=intent, intent_confidence=confidence,
                                  context_subject="legal_form:sarl", context_facet="capital"))
    assert result.confident and result.best and result.best.entry.id == "capital-deposit"


def test_related_entries_are_those_of_the_answered_entry() -> None:
    assert "capital-deposit" in index().related_to("legal_form:sarl", "capital")
    assert index().related_to(None, None) == []
    # an aspect the subject has no entry for: its overview's related entries
    overview = index().get("sarl-overview")
    assert overview is not None and index().related_to("legal_form:sarl", "no-such-facet") == overview.related
