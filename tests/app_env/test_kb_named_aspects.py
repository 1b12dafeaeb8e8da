"""A word that both names a subject and an aspect ("CNSS": the CNSS, or a social cover), asked of
another subject having an entry for that aspect, is that subject's aspect (aspect_reading.py `_name_or_aspect`)."""

from __future__ import annotations

import pytest

from assistant.kb.search import KnowledgeIndex, Query
from tests.app_env.test_conversation_context import index


@pytest.mark.parametrize("text", [
    "does an auto-entrepreneur pay CNSS?",
    "l'auto-entrepreneur paie-t-il la CNSS ?",
    "est-ce qu'un auto-entrepreneur cotise à la CNSS ?",
    "هل يؤدي المقاول الذاتي اشتراكات CNSS؟",
    "واش l'auto-entrepreneur كيخلص CNSS؟",
    "wach auto entrepreneur kaykhles cnss?",
])
def test_the_cnss_of_the_auto_entrepreneur_is_its_social_cover(text: str) -> None:
    kb: KnowledgeIndex = index()
    for intent in ("ask_legal_form", None):
        result = kb.search(Query(text, intent, 0.9 if intent else 0.0))
        assert result.confident and result.hits[0].entry.id == "auto-entrepreneur-social", (intent, result.hits[:2])


@pytest.mark.parametrize(("text", "expected"), [
    ("comment s'affilier à la CNSS ?", "cnss-affiliation"),
    ("kifach nsjel f cnss", "cnss-affiliation"),
    ("what are the CNSS contribution rates?", "cnss-contributions"),
    ("combien je paye de CNSS pour un salarié ?", "cnss-contributions"),
    ("how much tax does an auto-entrepreneur pay?", "auto-entrepreneur-tax"),
])
def test_the_cnss_alone_is_still_the_cnss(text: str, expected: str) -> None:
    result = index().search(Query(text, "ask_creation", 0.9))
    assert result.confident and result.hits[0].entry.id == expected, result.hits[:2]


@pytest.mark.parametrize("text", [
    "is the capital social bloqué in the bank?",
    "le capital social est bloqué à la banque ?",
    "is the share capital blocked at the bank?",
    "Dois-je bloquer le capital de ma SARL à la banque ?",
    "wach lcapital kaytbloka f lbanka?",
])
def test_blocking_the_capital_at_the_bank_is_its_deposit(text: str) -> None:
    """"Capital social" names the capital aspect (the SARL's capital), but the capital blocked at
    the bank is its deposit, in any variety or mix of them."""
    for intent in ("ask_creation", None):  # the NLU reads a creation question
        result = index().search(Query(text, intent, 0.9 if intent else 0.0))
        assert result.confident and result.hits[0].entry.id == "capital-deposit", (intent, result.hits[:2])


@pytest.mark.parametrize("text", [
    "combien coûte le notaire pour les statuts ?",
    "combien prend un notaire pour créer une SARL ?",
    "how much does a notary charge?",
    "what does a notary cost for a company?",
    "كم يتقاضى الموثق؟",
    "شحال كيشارجي النوطير؟",
    "ch7al yakhod notaire 3la charika?",
])
def test_what_the_notary_costs_is_the_notarys_fees(text: str) -> None:
    """The notary's price is its fees, not the statutes it drafts, the creation costs, nor the
    CNSS ("charge" is no payroll charge)."""
    result = index().search(Query(text, "ask_creation", 0.9))
    assert result.confident and result.hits[0].entry.id == "notary-fees", result.hits[:2]


@pytest.mark.parametrize(("text", "expected"), [
    ("faut-il un notaire pour les statuts ?", "statutes"),
    ("do I need a notary to set up a company?", "creation-channels"),
])
def test_whether_a_notary_is_needed_is_not_its_fees(text: str, expected: str) -> None:
    result = index().search(Query(text, "ask_creation", 0.9))
    assert result.confident and result.hits[0].entry.id == expected, result.hits[:2]


@pytest.mark.parametrize(("text", "intent"), [
    ("wach khass ndir chi comptable bach nftah sarl", "ask_creation"),
    ("est-ce que j'ai besoin d'un comptable pour ouvrir une sarl ?", "ask_tax"),
    ("do I need an accountant to open an LLC?", "ask_creation"),
    ("واش خاصني كونطابل باش نحل صارل؟", "ask_creation"),
    ("هل أحتاج إلى المرور عبر محاسب لتأسيس شركة SARL؟", "ask_creation"),
])
def test_an_accountant_to_open_a_legal_form_is_who_may_file(text: str, intent: str) -> None:
    """Whether one needs an accountant to open a SARL: the creation channels say who may file (you,
    or a notary, lawyer or accountant), not the SARL's overview; the SARL is what it is for."""
    result = index().search(Query(text, intent, 0.9))
    assert result.confident and result.hits[0].entry.id == "creation-channels", result.hits[:2]


@pytest.mark.parametrize(("text", "expected"), [
    ("quelles sont mes obligations comptables", "accounting-obligations"),
    ("c quoi une SARL ?", "sarl-overview"),
    ("chnahowa statut auto-entrepreneur, wach mzyan lia?", "auto-entrepreneur-overview"),
])
def test_the_legal_form_or_the_accounts_alone_are_still_theirs(text: str, expected: str) -> None:
    result = index().search(Query(text, "ask_legal_form" if "accounts" not in text else "ask_tax", 0.9))
    assert result.hits[0].entry.id == expected, result.hits[:2]
