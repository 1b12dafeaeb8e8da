"""Which taxes and charges a new company pays (knowledge/taxes/taxes-overview.yml, #11 coverage
and #10): "quels impôts je vais payer avec ma sarl ?" in every variety gets the taxes' overview
(the `taxes` aspect of knowledge/vocabulary/facets.yml, phrases only), one tax named keeps its own
entry, and the overview states the figures of the entries it sums up. On the real knowledge base
(pure functions); the same questions, with follow-ups, are in tests/data/dev_first_turns/taxes.yml
and tests/data/dev_conversations/taxes.yml."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.search import Query, Result
from tests.app_env.test_clarification_dialogues import Dialogue, index


def search(text: str, intent: str | None = "ask_tax", subject: str | None = None, facet: str | None = None) -> Result:
    return search_message(index(), Query(text=text, intent=intent, intent_confidence=0.95 if intent else 0.0,
                                         context_subject=subject, context_facet=facet))


def answered_with(result: Result) -> str | None:
    assert result.confident and not result.ambiguous and result.best, [h.entry.id for h in result.hits]
    return result.best.entry.id


@pytest.mark.parametrize(
    "text",
    [
        "quels impots je vais payer avec ma sarl ?",
        "c koi les impots d une societe au maroc",
        "quelles taxes pour une nouvelle entreprise",
        "ما هي الضرائب التي تدفعها الشركة؟",
        "شنو هي الضرائب اللي غادي نخلص فالشركة ديالي؟",
        "chno homa dara2ib li ghadi nkhlles?",
        "ach mn daraib katkhlles charika f lmaghrib",
        "what taxes will i pay?",
        "which taxes does a small company pay in morocco",
    ],
)
def test_which_taxes_a_company_pays_is_the_overview(text: str) -> None:
    assert answered_with(search(text)) == "taxes-overview"
    # (whatever the NLU reads: a creation or legal-form question)
    assert answered_with(search(text, "ask_creation")) == "taxes-overview"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quel est le taux de TVA ?", "vat"),
        ("kel est le taux de l impot sur les societes", "corporate-tax"),
        ("c quoi la patente", "taxe-professionnelle"),
        ("Quelles sociétés sont soumises à l'impôt sur les sociétés ?", "corporate-tax-liability"),
        ("ما هي الضرائب التي يدفعها المقاول الذاتي؟", "auto-entrepreneur-tax"),
        ("les impots d'un auto entrepreneur", "auto-entrepreneur-tax"),
        ("whats the corporate tax rate for a small company", "corporate-tax"),
    ],
)
def test_one_tax_named_keeps_its_entry(text: str, expected: str) -> None:
    assert answered_with(search(text)) == expected


def test_a_legal_form_stays_the_subject_and_another_form_gets_the_overview_again() -> None:
    first = search("quels impots je vais payer avec ma sarl ?")
    assert answered_with(first) == "taxes-overview"
    assert (first.subject, first.facet) == ("legal_form:sarl", "taxes")
    other = search("et pour une SA ?", "follow_up", first.subject, first.facet)
    assert answered_with(other) == "taxes-overview" and other.subject == "legal_form:sa"


@pytest.mark.parametrize(
    ("follow_up", "expected"),
    [("et la TVA ?", "vat"), ("w l IS?", "corporate-tax"), ("w l patente?", "taxe-professionnelle"),
     ("وماذا عن الضريبة المهنية؟", "taxe-professionnelle"), ("and the minimum tax?", "minimum-contribution")],
)
def test_a_tax_named_after_the_overview_is_that_tax(follow_up: str, expected: str) -> None:
    dialogue = Dialogue("fr")
    assert answered_with(dialogue.turn("what taxes will i pay?", "ask_tax")) == "taxes-overview"
    assert answered_with(dialogue.turn(follow_up, "follow_up")) == expected


def test_how_much_after_the_overview_asks_which_tax() -> None:
    dialogue = Dialogue("en")
    dialogue.turn("what are the steps to open a company in morocco", "ask_creation")
    assert answered_with(dialogue.turn("what taxes will i pay?", "ask_tax")) == "taxes-overview"
    dialogue.related = ("corporate-tax", "vat")  # the buttons under the overview (its first two related)
    result = dialogue.turn("and how much is it?", "follow_up")
    assert result.ambiguous and {e.id for e in result.options} == {"corporate-tax", "vat"}


def test_the_taxes_topic_is_answered_by_the_overview() -> None:
    assert index().vocabulary.topic_overviews["taxes"] == "taxes-overview"


@pytest.mark.parametrize(
    ("fact", "entry", "its_fact"),
    [
        ("is_rate", "corporate-tax", "std_rate"),
        ("is_year", "corporate-tax", "target_year"),
        ("vat_rate", "vat", "std_rate"),
        ("tp_years", "taxe-professionnelle", "exemption_years"),
        ("cm_min", "minimum-contribution", "min_amount"),
        ("cm_months", "minimum-contribution", "exempt_period"),
        ("cnss_employer", "cnss-contributions", "employer"),
        ("cnss_employee", "cnss-contributions", "employee"),
    ],
)
def test_the_overview_states_the_figures_of_the_entries_it_sums_up(fact: str, entry: str, its_fact: str) -> None:
    overview, detailed = index().get("taxes-overview"), index().get(entry)
    assert overview is not None and detailed is not None
    assert overview.facts[fact] == detailed.facts[its_fact]
    assert entry in overview.related
