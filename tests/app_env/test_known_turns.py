"""Issue #10's known wrong turns fixed by helper known11 (session 33), on the real knowledge base: thanks
before a full question make no second answer; a tax word alone in a conversation asks the taxes a company
pays; an aspect asked in nothing but its own words, of no subject, is its general entry; the creation
costs carried to the CNSS are its contributions; thanks in another language before a short follow-up do
not switch the conversation's language. fr, ar, Darija, Arabizi and en.
And those fixed by helper known12 (session 34): thanks after any answer ask nothing; a procedure's name
qualified before a legal form is the procedure; "if" is a function word ("IF" in capitals the tax
identifier); the company's name is the negative certificate; being in Morocco in person is creating
from abroad; "min capital?" is no Arabizi."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import other_part_of, search_message
from assistant.kb.parts import acknowledges
from assistant.kb.search import Query
from assistant.nlu.langid import identify, sticky_language
from assistant.short_language import past_acknowledgements, with_subject_words
from tests.app_env.test_conversation_context import index


def best(text: str, intent: str | None = None, subject: str | None = None, facet: str | None = None) -> str | None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=0.9 if intent else 0.0,
                                            context_subject=subject, context_facet=facet))
    assert result.confident and not result.ambiguous, (text, [h.entry.id for h in result.hits])
    return result.best.entry.id if result.best else None


@pytest.mark.parametrize("text", ["ok merci", "thanks!", "ok thanks", "واخا شكرا", "wakha", "merci bzaf"])
def test_thanks_alone_are_acknowledgements(text: str) -> None:
    assert acknowledges(text)


@pytest.mark.parametrize("text", ["merci pour la tva ?", "ok and the vat?", "شكرا، وشحال؟", ""])
def test_thanks_with_a_question_are_not_acknowledgements_alone(text: str) -> None:
    assert not acknowledges(text)


@pytest.mark.parametrize(
    "text",
    [
        "ok merci, w chno les documents li khassin l sarl?",
        "ok thanks, and what documents do i need for an sarl?",
        "واخا شكرا، شنو هوما الوراق اللي خاصين باش نحل صارل؟",
    ],
)
def test_thanks_for_the_previous_answer_before_a_full_question_make_no_second_answer(text: str) -> None:
    query = Query(text=text, intent="ask_creation", intent_confidence=0.9, context_subject="legal_form:sarl",
                  context_facet="overview")
    result = search_message(index(), query)
    assert result.best and result.best.entry.id == "sarl-documents"
    # (after the SARL's overview: the thanks are for it, they do not bring it back)
    assert other_part_of(index(), text, result, ["sarl-overview", "legal_form:sarl"]).entries == []
    assert other_part_of(index(), text, result, ["sarl-capital", "legal_form:sarl"]).entries == []


@pytest.mark.parametrize("text", ["quelles sont les étapes pour créer une SARL et combien ça coûte ?",
                                  "Quelles sont les étapes pour créer une entreprise et combien ça coûte ?",
                                  "what are the steps to open a company and how much does it cost?",
                                  "شنو هي المراحل وشحال كتكلف؟", "chno homa lmarahil w ch7al katkellef?"])
def test_a_second_question_on_what_it_costs_is_still_answered(text: str) -> None:
    result = search_message(index(), Query(text=text, intent="ask_creation", intent_confidence=0.9))
    other = other_part_of(index(), text, result)
    assert [e.id for e in other.entries] == ["creation-costs"] and other.sure


@pytest.mark.parametrize("text", ["and taxes?", "الضرائب؟", "w dariba?", "et les impôts ?", "والضرائب؟"])
@pytest.mark.parametrize("facet", ["steps", "fees"])
def test_a_tax_word_alone_after_an_answer_in_general_asks_the_taxes_a_company_pays(text: str, facet: str) -> None:
    assert best(text, "follow_up", None, facet) == "taxes-overview"


def test_a_tax_word_in_a_phrase_keeps_its_tax() -> None:
    assert best("et les impôts sur les sociétés ?", "follow_up", "legal_form:sarl", "overview") == "corporate-tax"
    # (after a legal form, which tax it pays; out of a conversation, a choice among the taxes)
    assert best("و الضريبة؟", "follow_up", "legal_form:sarl", "overview") == "corporate-tax-liability"
    assert search_message(index(), Query(text="les impots ?", intent="ask_tax", intent_confidence=0.9)).ambiguous


@pytest.mark.parametrize("text", ["combien je paye ?", "شحال كيكلف؟", "ch7al kaykellef?", "كم سيكلفني ذلك؟"])
def test_what_it_costs_of_no_subject_is_the_creation_costs(text: str) -> None:
    assert best(text, "ask_creation") == "creation-costs"
    assert best(text, "ask_tax") == "creation-costs"  # (the NLU may read paying as taxes)
    assert best(text) == "creation-costs"


def test_what_it_costs_beside_another_aspect_is_not_the_creation_costs() -> None:
    result = search_message(index(), Query(text="combien je paye d'impôts ?", intent="ask_tax", intent_confidence=0.9))
    assert not (result.best and result.best.entry.id == "creation-costs" and result.confident)


def test_the_cnss_contributions_keep_their_own_questions() -> None:
    assert best("combien je paye pour un salarié à la cnss ?", "ask_creation") == "cnss-contributions"


@pytest.mark.parametrize("text", ["w cnss?", "et la CNSS ?", "and the cnss?", "و cnss؟"])
@pytest.mark.parametrize("subject", [None, "legal_form:sarl"])
@pytest.mark.parametrize("intent", ["follow_up", "ask_creation"])
def test_the_cnss_after_the_creation_costs_is_its_contributions(text: str, subject: str | None, intent: str) -> None:
    assert best(text, intent, subject, "fees") == "cnss-contributions"


@pytest.mark.parametrize("facet", ["steps", "overview"])
def test_the_cnss_after_the_steps_stays_its_affiliation(facet: str) -> None:
    subject = None if facet == "steps" else "legal_form:sarl"
    assert best("w cnss?", "follow_up", subject, facet) == "cnss-affiliation"


@pytest.mark.parametrize(("text", "current"), [("ok thanks, w l rc?", "fr"), ("merci, w tva?", "ar"), ("ok merci, w cnss?", "ar")])
def test_thanks_in_another_language_before_a_short_follow_up_keep_the_language(text: str, current: str) -> None:
    detection = past_acknowledgements(identify(text).as_dict(), text, confirmed=True)
    assert sticky_language(current, dict(detection) if detection else None) == current


@pytest.mark.parametrize(("text", "language"), [("merci, and what about the vat?", "en"), ("thanks!", "en"),
                                                 ("ok thanks, et le capital ?", "fr")])
def test_thanks_before_words_of_a_language_keep_the_message_reading(text: str, language: str) -> None:
    detection = past_acknowledgements(identify(text).as_dict(), text, confirmed=True)
    assert detection == identify(text).as_dict() and detection["language"] == language


def test_a_conversation_not_recognised_yet_reads_the_whole_message() -> None:
    text = "ok thanks, w l rc?"
    assert past_acknowledgements(identify(text).as_dict(), text, confirmed=False) == identify(text).as_dict()


@pytest.mark.parametrize(("text", "previous"), [
    ("ok merci, w chno les documents li khassin l sarl?", ["creation-steps"]),
    ("thanks! what documents do i need for a sarl?", ["creation-steps"]),
    ("شكرا بزاف، شنو الوراق اللي خاصين لصارل؟", ["creation-steps"]),
    ("super merci ! et quels papiers il faut pour une sarl ?", ["legal-forms-overview"]),
])
def test_thanks_after_any_answer_ask_nothing(text: str, previous: list[str]) -> None:
    result = search_message(index(), Query(text=text, intent="ask_creation", intent_confidence=0.9, context_facet="steps"))
    assert result.best and result.best.entry.id == "sarl-documents"
    # (the thanks read in the answer's subject would be the SARL's overview)
    assert other_part_of(index(), text, result, previous).entries == []


@pytest.mark.parametrize("text", [
    "compte bancaire islamique pour ma SARL ?", "halal bank account for my SARL",
    "can i open a sharia compliant bank account for my sarl?", "واش نقدر نحل كونط بنكي إسلامي للصارل ديالي؟",
    "bghit compte bancaire islami l sarl dyali", "هل يمكن فتح حساب بنكي إسلامي لشركة SARL؟",
])
def test_a_procedure_named_with_a_qualifier_before_the_legal_form_is_the_procedure(text: str) -> None:
    assert best(text, "ask_creation") == "company-bank-account"
    assert index().subjects_in(text) == ["procedure:company_bank_account"]


def test_an_aspect_between_a_procedure_and_a_legal_form_keeps_the_legal_form() -> None:
    # ("compte bancaire bloqué pour le capital de ma SARL" asks of the SARL's capital)
    assert "legal_form:sarl" in index().subjects_in("compte bancaire bloqué pour le capital de ma SARL")


@pytest.mark.parametrize("intent", ["ask_creation", "ask_legal_form"])
def test_a_company_making_a_loss_is_not_answered_by_function_words(intent: str) -> None:
    result = search_message(index(), Query(text="what happens if my company makes a loss?", intent=intent, intent_confidence=0.9))
    assert not result.confident


@pytest.mark.parametrize("text", ["c quoi l'IF ?", "what is the IF number?", "kifach nakhod IF?", "comment avoir mon if ?"])
def test_the_tax_identifier_is_still_named_by_its_acronym(text: str) -> None:
    assert best(text, "ask_creation") == "tax-registration"


@pytest.mark.parametrize("text", ["where do i register my company name?", "how do i register my company name?",
                                  "فين نسجل السمية ديال الشركة؟", "fin nsejel smiya dyal charika?", "أين أسجل اسم شركتي؟"])
def test_registering_the_company_name_is_the_negative_certificate(text: str) -> None:
    assert best(text, "ask_creation") == "negative-certificate"


@pytest.mark.parametrize("text", ["w wach khassni nkoun f lmaghrib?", "وواش خاصني نكون فالمغرب؟",
                                  "et est ce que je dois etre present au maroc ?", "do i have to be in morocco for that?"])
def test_being_in_morocco_after_the_steps_is_creating_from_abroad(text: str) -> None:
    assert best(text, "follow_up", None, "steps") == "creation-from-abroad"


@pytest.mark.parametrize("text", ["w wach khassni nkoun f lmaghrib?", "هل يجب أن أكون حاضرا في المغرب لتأسيس شركتي؟",
                                  "est-ce que je dois être présent au Maroc ?", "do i need to be there in person?"])
def test_being_in_morocco_as_a_first_question_is_creating_from_abroad(text: str) -> None:
    assert best(text, "ask_creation") == "creation-from-abroad"
    assert best("w wach khassni nkoun f lmaghrib?", "follow_up") == "creation-from-abroad"


@pytest.mark.parametrize("text", ["min capital?", "min capital sarl", "min capital for sarl?", "bank account?"])
def test_words_english_writes_too_make_no_arabizi(text: str) -> None:
    detection = with_subject_words(identify(text).as_dict(), text)
    assert detection and detection["language"] == "en" and detection["strength"] != "strong"
    # (a weak reading: an Arabizi conversation stays Arabizi, answered in French)
    assert sticky_language("fr", detection) == "fr"


@pytest.mark.parametrize("text", ["min capital dyal sarl?", "ch7al min capital?", "fin lbanka?", "chno howa business plan?"])
def test_arabizi_with_its_own_words_stays_arabizi(text: str) -> None:
    detection = with_subject_words(identify(text).as_dict(), text)
    assert detection and detection["variety"] == "arabizi"
