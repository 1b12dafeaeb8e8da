"""Code-switched questions and clarification (#10, session 26): the mechanisms behind
tests/data/dev_conversations/clarify_switch.yml, on the real knowledge base.

- a question made of two subjects' names of one kind ("SARL ولا SA؟": "ولا" is "or", no search
  word) is answered by the overview comparing them, not by a choice between one and the comparison;
- "how much" beside "money" asks how much money it takes (facets.yml `money`, `together`): the
  capital of a legal form named, else what creating costs, so a follow-up keeps the
  conversation's creation subject instead of an exchange entry holding "الفلوس";
- a number is no evidence that a question is near the base (learnt evidence, evidence.py);
- two words whose order is English ("minimum capital?") give the message a language.
"""

from __future__ import annotations

import pytest

from assistant.kb.evidence import NearBase
from assistant.kb.search import KnowledgeIndex, Query
from assistant.nlu.langid import identify
from tests.app_env.test_clarification_dialogues import Dialogue, index


@pytest.mark.parametrize("text", ["SARL ولا SA؟", "SARL ou SA ?", "sarl wla sa?", "SARL or SA?"])
def test_two_names_of_one_kind_alone_are_compared(text: str) -> None:
    result = index().search(Query(text, "ask_legal_form", 0.9))
    assert result.confident and not result.ambiguous and result.best
    assert result.best.entry.id == "legal-forms-overview"


def test_money_asked_of_a_legal_form_is_its_capital() -> None:
    result = index().search(Query("how much money do i need to open an LLC", "ask_legal_form", 0.9))
    assert result.confident and result.best and result.best.entry.id == "sarl-capital"


@pytest.mark.parametrize("text", ["وشحال خاص ديال الفلوس؟", "w ch7al khas dyal lflous?", "et faut combien de sous en tout ?",
                                  "and how much money do i need?"])
def test_how_much_money_asks_the_costs(text: str) -> None:
    assert "money" in {f.name for f in index().vocabulary.facets_in(index().question_terms(text)[0])}


@pytest.mark.parametrize("text", ["je veux transférer de l'argent en France", "n7awel lflous l barra", "نحول الفلوس لبرا",
                                  "combien de temps ?"])
def test_money_or_how_much_alone_is_no_aspect(text: str) -> None:
    assert "money" not in {f.name for f in index().vocabulary.facets_in(index().question_terms(text)[0])}


@pytest.mark.parametrize(("language", "first", "then"), [
    ("ar", "creation-from-abroad", "وشحال خاص ديال الفلوس؟"),
    ("fr", "creation-from-abroad", "w ch7al khas dyal lflous?"),
    ("fr", "creation-steps", "et faut combien de sous en tout ?"),
])
def test_a_money_follow_up_keeps_the_creation_subject(language: str, first: str, then: str) -> None:
    dialogue = Dialogue(language)
    dialogue.turn("", None, entry_id=first)
    result = dialogue.turn(then, "follow_up")
    assert result.confident and not result.ambiguous and result.best
    assert result.best.entry.id == "creation-costs"


def test_a_number_is_no_near_base_evidence() -> None:
    near = NearBase([["capital", "sarl"]], [["halal", "franchise"]])
    assert near.odds(["1"]) == 0.0 and near.odds(["50000", "sarl"]) == near.odds(["sarl"])


def test_an_sms_question_the_search_answers_is_not_refused() -> None:
    search = index()
    assert isinstance(search, KnowledgeIndex)
    result = search.search(Query("slt jsuis en france, je veu ouvrir 1 snack a casa, faut koi comme papiers ?", "ask_creation", 0.9))
    assert result.confident and result.best and result.best.entry.id == "required-documents"


@pytest.mark.parametrize(("text", "language"), [
    ("minimum capital?", "en"), ("share capital", "en"), ("tax rate?", "en"), ("capital minimum ?", "fr"),
    ("forme juridique ?", "fr"), ("capital minimum sarl", "fr"),
])
def test_word_order_gives_a_short_message_its_language(text: str, language: str) -> None:
    detection = identify(text)
    assert detection.language == language and detection.strength == "weak"


@pytest.mark.parametrize("text", ["capital?", "SARL", "ok"])
def test_no_pair_no_language(text: str) -> None:
    assert identify(text).strength == "none"


def test_word_order_does_not_outweigh_words() -> None:
    """An English question with a French name keeps its words' language."""
    assert identify("what's the taxe professionnelle").language == "en"


@pytest.mark.parametrize("text", ["ch7al ghadi nkhelles dyal dariba?", "chhal kaykhelsou dariba?", "كم سأدفع من الضرائب؟"])
def test_paying_a_tax_asks_the_tax_rates(text: str) -> None:
    """A pay verb beside the tax qualifies it (conversation.yml `qualifiers`): the VAT or the
    corporate tax, not the entries that happen to hold the verb."""
    result = index().search(Query(text, "ask_tax", 0.9))
    assert result.ambiguous and {"vat", "corporate-tax"} <= {e.id for e in result.options}


@pytest.mark.parametrize("text", ["les conditions pour y avoir droit ?", "am i entitled to it?"])
def test_being_entitled_asks_who_may(text: str) -> None:
    assert "eligibility" in {f.name for f in index().vocabulary.facets_in(index().question_terms(text)[0])}
