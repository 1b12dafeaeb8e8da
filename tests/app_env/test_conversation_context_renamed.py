"""Follow-ups naming another subject in their own words, no registered name ("et pour le compte
bancaire ?" after the SARL created from abroad: the company's bank account, not the SARL's capital;
renamed.py), and the cost, time or documents asked of a procedure of creating a company whose
entries state none (the commercial register: what creating costs, how long it takes, which papers;
`also` in knowledge/vocabulary/facets.yml). Every variety: fr, ar, Darija, Arabizi, en."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.kb.renamed import renamed_subject
from tests.app_env.kb_index import answer, searched

SARL_ABROAD: dict[str, Any] = {"context_subject": "legal_form:sarl", "context_facet": "residence"}
REGISTER: dict[str, Any] = {"context_subject": "procedure:commercial_register", "context_facet": "overview"}


@pytest.mark.parametrize(
    "text",
    [
        "et pour le compte bancaire ?",
        "w l compte f lbanka?",
        "والحساب البنكي؟",
        "وماذا عن الحساب البنكي؟",
        "and the bank account?",
    ],
)
def test_a_follow_up_naming_another_subject_in_words_moves_to_it(text: str) -> None:
    assert answer(text, "follow_up", **SARL_ABROAD) == "company-bank-account"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("وشحال كيتخلص؟", "ask_tax"),
        ("وشحال كيتخلص؟", "follow_up"),
        ("w ch7al kaytkhles?", "follow_up"),
        ("et ça coûte combien ?", "follow_up"),
        ("and how much is it?", "follow_up"),
        ("وكم يكلف ذلك؟", "follow_up"),
    ],
)
def test_the_cost_of_a_creation_procedure_stating_none_is_what_creating_costs(text: str, intent: str) -> None:
    assert answer(text, intent, **REGISTER) == "creation-costs"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("وشحال كياخد ديال الوقت؟", "creation-time"),
        ("et ça prend combien de temps ?", "creation-time"),
        ("and how long does it take?", "creation-time"),
        ("w chno lwra9 li khasni?", "required-documents"),
        ("وما هي الوثائق المطلوبة؟", "required-documents"),
    ],
)
def test_the_time_or_documents_of_a_creation_procedure_stating_none_are_the_general_ones(text: str, expected: str) -> None:
    assert answer(text, "follow_up", **REGISTER) == expected


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        # a procedure named is itself asked, in a first question or after an aspect kept from the conversation
        ("quels documents pour l'inscription au registre de commerce ?", "ask_creation", "commercial-register"),
        ("et le RC ?", "follow_up", "commercial-register"),
    ],
)
def test_a_procedure_named_is_itself_asked(text: str, intent: str, expected: str) -> None:
    context: dict[str, Any] = {"context_subject": "procedure:negative_certificate", "context_facet": "time"} if intent == "follow_up" else {}
    assert answer(text, intent, **context) == expected


def test_a_procedure_with_its_own_fee_keeps_it() -> None:
    result = searched("w ch7al kaytkhles?", "follow_up", context_subject="procedure:negative_certificate",
                      context_facet="overview")
    assert result.best and result.best.entry.id == "negative-certificate-fee"


NAMES = {
    "legal_form:sarl": [frozenset({"compte", "bloque"}), frozenset({"sarl"})],
    "procedure:company_bank_account": [frozenset({"compte", "bancaire", "societe"}), frozenset({"compte"}),
                                       frozenset({"lbanka"})],
    "exchange:fx_accounts": [frozenset({"compte", "bancaire", "devises"}), frozenset({"compte", "bancaire"})],
    "procedure:capital_deposit": [frozenset({"lbanka"})],
    "region:souss_massa": [frozenset({"compte", "bancaire"})],
}
TOPICS = {"legal_form:sarl": {"legal_forms"}, "procedure:company_bank_account": {"creation"},
          "exchange:fx_accounts": {"exchange"}, "procedure:capital_deposit": {"creation"}, "region:souss_massa": {"regions"}}


def test_renamed_subject_picks_the_one_of_the_conversations_topics() -> None:
    near = {"creation", "legal_forms"}
    assert renamed_subject({"compte", "bancaire"}, "legal_form:sarl", NAMES, TOPICS, near) == "procedure:company_bank_account"
    # several one-word names of one subject ("w l compte f lbanka?")
    assert renamed_subject({"compte", "lbanka"}, "legal_form:sarl", NAMES, TOPICS, near) == "procedure:company_bank_account"
    # out of a creating conversation, two subjects: none
    assert renamed_subject({"compte", "bancaire"}, "legal_form:sarl", NAMES, TOPICS, {"tax"}) is None


def test_renamed_subject_needs_two_words_and_one_the_conversation_does_not_name() -> None:
    near = {"creation", "legal_forms"}
    assert renamed_subject({"lbanka"}, "legal_form:sarl", NAMES, TOPICS, near) is None
    assert renamed_subject({"compte", "bloque"}, "legal_form:sarl", NAMES, TOPICS, near) is None
