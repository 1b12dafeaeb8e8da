"""Whether one needs a local or Moroccan partner: the entry on a SARL's partners answers it (its
partners need not live in Morocco; keywords of knowledge/legal_forms/sarl-partners.yml in fr, ar,
Darija, Arabizi and en). The base states nothing on a partner's nationality: the answer says
what it knows, the residence."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.search import Query
from tests.app_env.test_conversation_context import index


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("do I need a local partner?", "ask_legal_form"),
        ("do i need a moroccan partner?", None),
        ("faut-il un associé marocain ?", "ask_legal_form"),
        ("هل أحتاج إلى شريك مغربي لتأسيس شركة؟", "ask_legal_form"),
        ("واش خاصني شريك ساكن فالمغرب باش نحل شركة؟", "ask_legal_form"),
    ],
)
def test_a_local_or_moroccan_partner_is_the_sarl_partners_entry(text: str, intent: str | None) -> None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=0.9 if intent else 0.0))
    assert result.confident and result.best and result.best.entry.id == "sarl-partners", [h.entry.id for h in result.hits]
