"""A country of the diaspora after "from" is doing it from abroad, in every variety, in a first
message or a follow-up: the entries name "depuis l'étranger", not each country (`from_country` in
conversation.yml)."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.parts import from_country, names_a_country
from assistant.kb.search import Query
from assistant.text import normalize
from tests.app_env.test_clarification_dialogues import Dialogue
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
    ("first", "text", "intent"),
    [
        ("quelles sont les étapes pour créer une SARL ?", "c faisable depuis la belgique ?", "out_of_scope"),
        ("chno homa lkhotowat bach n7el charika?", "w mn belgique?", "follow_up"),
        ("ما هي خطوات تأسيس شركة في المغرب؟", "ومن فرنسا؟", "follow_up"),
        ("شنو هي المراحل باش نحل شركة؟", "ومن بلجيكا؟", "follow_up"),
        ("what are the steps to open a company in morocco", "and from germany?", "follow_up"),
    ],
)
def test_a_country_named_in_a_follow_up_is_creating_from_abroad(first: str, text: str, intent: str) -> None:
    dialogue = Dialogue("fr")
    assert dialogue.turn(first, "ask_creation").best.entry.id == "creation-steps"  # type: ignore[union-attr]
    result = dialogue.turn(text, intent)
    assert result.confident and result.best and result.best.entry.id == "creation-from-abroad", [h.entry.id for h in result.hits]


def test_money_sent_from_abroad_is_not_creating_from_abroad() -> None:
    """"mn bra" alone is no residence word: only "w mn bra" continuing an answer (facets.yml)."""
    result = search_message(index(), Query(text="bghit nsift lflous mn bra l lmaghrib", intent="ask_exchange",
                                           intent_confidence=0.9))
    assert result.best and result.best.entry.id == "fx-investment-transfers"


@pytest.mark.parametrize(("text", "named"), [("c faisable depuis la belgique ?", True), ("ومن فرنسا؟", True),
                                             ("depuis la création ?", False), ("from morocco", False)])
def test_names_a_country(text: str, named: bool) -> None:
    assert names_a_country(text) is named


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("depuis l'Allemagne", "depuis l'etranger"),
        ("from the UK", "from abroad"),
        ("mn lfransa", "mn bra"),
        ("من المانيا", "من الخارج"),
        ("ومن فرنسا", "من الخارج"),  # the conjunction attached
        ("depuis le Maroc", "depuis le maroc"),  # Morocco is home, not abroad
        ("depuis la création", "depuis la creation"),  # only a country is a place
    ],
)
def test_only_a_country_of_the_diaspora_after_from_is_abroad(text: str, expected: str) -> None:
    assert from_country(normalize(text)) == expected
