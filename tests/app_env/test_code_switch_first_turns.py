"""First messages mixing languages (issue #10): French verbs conjugated in Darija ("nfermi",
"nchangi", "ndeclarihom"), an entry named by its own name
beside an aspect its subject has no entry for ("domiciliation ... ch7al katkhelles"), and the SA
written in capitals before another word in a French or mixed message ("la différence entre SA et
SARL"), and an acronym with the Arabizi article glued ("lIS"). Seen writing tests/data/dev_conversations/code_switch4.yml: each got another entry, or
none."""

from __future__ import annotations

import pytest

from assistant.kb.parts import expand_acronyms
from assistant.kb.spelling import french_verb
from tests.app_env.kb_index import answer


@pytest.mark.parametrize(("typed", "verb"), [("nfermi", "fermer"), ("nferme", "fermer"), ("nfermiha", "fermer"),
                                             ("nchangi", "changer"), ("ndeclarihom", "declarer"), ("tsigniw", "signer")])
def test_a_french_verb_conjugated_in_darija_is_its_infinitive(typed: str, verb: str) -> None:
    assert french_verb(typed, {"fermer", "changer", "declarer", "signer"}) == verb


@pytest.mark.parametrize("typed", ["nice", "type", "tani", "nferme"])
def test_no_infinitive_the_base_does_not_know(typed: str) -> None:
    assert french_verb(typed, {"changer"}) is None


def test_the_sa_in_capitals_before_a_word_keeps_its_name() -> None:
    assert "SA" not in expand_acronyms("quelle est la différence entre SA et SARL").split()
    assert "société anonyme" in expand_acronyms("quelle est la différence entre SA et SARL")
    assert "sa" not in expand_acronyms("sa prend combien de temps ?").split()  # SMS "ça" still dropped


def test_an_acronym_with_the_arabizi_article_glued_is_the_acronym() -> None:
    assert "impôt sur les sociétés" in expand_acronyms("ch7al dyal lIS katkhelles SARL?")
    assert "lis" in expand_acronyms("je lis le texte").split()  # lower case: a word


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("la société dyali makhdamach, kifach nfermiha?", "ask_creation", "closing-company"),
    ("kifach nchangi le gérant dyal la SARL?", "ask_creation", "company-changes"),
    ("chno khassni bach nsigni le bail dyal le local", "ask_creation", "commercial-lease"),
    ("domiciliation dyal la société ch7al katkhelles f chhar?", "ask_creation", "domiciliation"),
    ("شنو هي الوثائق ديال la domiciliation؟", "ask_creation", "domiciliation"),
    ("ch7al katkhelles f la création dyal société kamla", "ask_creation", "creation-costs"),
    ("chno hiya la différence bin SA w SARL", "ask_legal_form", "legal-forms-overview"),
    ("quelle est la différence entre SA et SARL", "ask_legal_form", "legal-forms-overview"),
    ("ch7al dyal lIS katkhelles SARL?", "ask_tax", "corporate-tax"),
    # a procedure done to one's company named with its legal form (company_forms.py)
    ("كيفاش نسد la SARL ديالي؟", "ask_legal_form", "closing-company"),
    ("comment fermer ma SARL ?", "ask_legal_form", "closing-company"),
    ("bghit nfermi la SARL", "ask_legal_form", "closing-company"),
    ("c quoi une SARL", "ask_legal_form", "sarl-overview"),
    ("je veux créer une SARL depuis l'étranger", "ask_creation", "creation-from-abroad"),
])
def test_a_code_switched_first_message_gets_its_entry(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry
