"""A country of the diaspora after "from" is doing it from abroad, in every variety: the
entries name "depuis l'étranger", not each country (`from_country` in conversation.yml)."""

from __future__ import annotations

import pytest

from assistant.actions.knowledge import search_message
from assistant.kb.parts import from_country
from assistant.kb.search import Query
from assistant.text import normalize
from tests.app_env.test_conversation_context import index


@pytest.mark.parametrize(
    "text",
    [
        "puis-je créer une SARL depuis la France ?",
        "c faisable depuis la france ?",
        "salut, mon pere veut ouvrir un cafe a agadir, c faisable depuis la france ?",
        "هل يمكنني تأسيس شركة من فرنسا؟",
        "واش نقدر نحل شركة من إيطاليا؟",
        "wach n9der n7el charika mn belgique?",
        "can I open a company from Germany?",
    ],
)
def test_creating_from_a_named_country_is_creating_from_abroad(text: str) -> None:
    result = search_message(index(), Query(text=text, intent="ask_creation", intent_confidence=0.9))
    assert result.confident and result.best and result.best.entry.id == "creation-from-abroad", [h.entry.id for h in result.hits]


def test_a_bank_account_from_a_named_country_stays_the_bank_account() -> None:
    result = search_message(index(), Query(text="je peux ouvrir un compte bancaire au maroc depuis la belgique ?",
                                           intent="ask_knowledge", intent_confidence=0.9))
    assert result.best and result.best.entry.id == "bank-account-non-resident"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("depuis l'Allemagne", "depuis l'etranger"),
        ("from the UK", "from abroad"),
        ("mn lfransa", "mn bra"),
        ("من المانيا", "من الخارج"),
        ("depuis le Maroc", "depuis le maroc"),  # Morocco is home, not abroad
        ("depuis la création", "depuis la creation"),  # only a country is a place
    ],
)
def test_only_a_country_of_the_diaspora_after_from_is_abroad(text: str, expected: str) -> None:
    assert from_country(normalize(text)) == expected
