"""Names in first messages mixing French and English (#10 item 3), seen writing
tests/data/dev_conversations/cs15a.yml: a name split between the two languages ("prend the notary" is the
entry's "prend le notaire": assistant/kb/equivalents.py, words/equivalents.yml), a clause saying when opened
by "once" / "une fois" (conversation.yml `time_clauses`), a way of doing it ("online", "en ligne") beside a
legal form whose own entry answers the aspect asked (kb/ways.yml), and the abbreviations CN, CIT, AE."""

from __future__ import annotations

import pytest

from assistant.kb.equivalents import canonical, mixed
from assistant.kb.parts import without_time_clause
from assistant.text import search_terms
from tests.app_env.kb_index import answer, index


def test_a_message_mixes_french_and_english_when_it_holds_words_only_each_writes() -> None:
    assert mixed(search_terms("combien prend the notary pour rediger les statuts"))
    assert mixed(search_terms("how much are les frais pour une SARL"))
    assert not mixed(search_terms("combien prend le notaire pour rediger les statuts"))
    assert not mixed(search_terms("how much does a notary charge for the statutes"))
    assert not mixed(search_terms("ch7al kayakhed notaire"))  # (Arabizi with a French word)
    assert canonical(search_terms("prend the notary")) == canonical(search_terms("prend le notaire"))


def test_a_name_split_between_french_and_english_is_found() -> None:
    assert "procedure:creation_channels" in index().subjects_in("combien prend the notary pour rediger les statuts")
    assert index().subjects_in("combien prend le notaire pour rediger les statuts")[0] == "procedure:creation_channels"
    # (a message in one language finds its names as written only: "the notary" alone names no subject)
    assert index().subjects_in("the notary") == []


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("combien prend the notary pour rediger les statuts", "ask_creation", "notary-fees"),
    ("combien coute the notary pour une SARL", "ask_creation", "notary-fees"),
    ("combien prend le notaire pour rediger les statuts", "ask_creation", "notary-fees"),  # (as before)
    ("how much does a notary cost for a SARL", "ask_creation", "notary-fees"),  # (as before)
    ("c'est quoi les statuts d'une SARL", "ask_creation", "statutes"),
    ("what are the statutes of a company", "ask_creation", "statutes"),
])
def test_the_notarys_fees_asked_in_two_languages(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry


def test_once_and_une_fois_open_a_clause_saying_when() -> None:
    assert without_time_clause("where do i register once the statuts are signed, online?") == "where do i register , online?"
    assert without_time_clause("une fois les statuts signes, je m'inscris ou ?") == ", je m'inscris ou ?"
    assert without_time_clause("dès que j'ai le certificat, je fais quoi") == ", je fais quoi"


@pytest.mark.parametrize(("text", "intent"), [
    ("where do i sign up for the registre de commerce once the statuts are signed", "ask_creation"),
    ("une fois les statuts signes, comment je m'inscris au registre du commerce", "ask_creation"),
])
def test_the_register_asked_once_the_statutes_are_signed(text: str, intent: str) -> None:
    assert answer(text, intent) == "commercial-register"


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("l'inscription auto-entrepreneur, c'est en ligne ?", "ask_legal_form", "auto-entrepreneur-registration"),
    ("l'inscription auto-entrepreneur, is it online?", "ask_legal_form", "auto-entrepreneur-registration"),
    ("how do i register as auto-entrepreneur, is it online?", "ask_legal_form", "auto-entrepreneur-registration"),
    ("kifach ntsjel auto-entrepreneur online?", "ask_legal_form", "auto-entrepreneur-registration"),
    ("واش التسجيل ديال المقاول الذاتي كيكون أونلاين؟", "ask_legal_form", "auto-entrepreneur-registration"),
    ("كيف أسجل كمقاول ذاتي عبر الإنترنت؟", "ask_legal_form", "auto-entrepreneur-registration"),
    # (a legal form with no entry for the aspect: the online creation, as before)
    ("creer une SARL en ligne", "ask_creation", "online-creation"),
    ("les etapes pour creer une SARL en ligne", "ask_creation", "online-creation"),
])
def test_online_beside_a_legal_form_with_its_own_entry_for_the_aspect(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("le CN c'est quoi", "ask_creation", "negative-certificate"),
    ("how do i get the CN", "ask_creation", "negative-certificate"),
    ("wach darouri CN 9bel ma nmchi l notaire?", "ask_creation", "negative-certificate"),
    ("combien coute le CN", "ask_creation", "negative-certificate-fee"),
    ("what is the CIT rate in morocco", "ask_tax", "corporate-tax"),
    ("CIT rate for une SARL with 500k de benefice", "ask_tax", "corporate-tax"),
    ("le statut AE c'est quoi", "ask_legal_form", "auto-entrepreneur-overview"),
    ("AE status: who can become one?", "ask_legal_form", "auto-entrepreneur-eligibility"),
])
def test_abbreviations(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry
