"""First messages mixing languages (issue #10), seen writing tests/data/dev_conversations/code_switch6b.yml
(English with French or Arabizi, MSA with French or English terms): a change made to a part of one's
company named in two languages ("how do i change the gérant of my SARL": the company's change, which the
entries' synonyms name in one language each; topics.yml `together`), an Arabic preposition written apart
before a Latin word ("و بالنسبة لـ SAS؟": a function word), a name two subjects share ("retour définitif":
neither, the other words decide), the Arabizi question word before an English clause ("wach i can be…")."""

from __future__ import annotations

import pytest

from tests.app_env.kb_index import answer, index
from tests.app_env.test_clarification_dialogues import Dialogue


@pytest.mark.parametrize(("text", "intent"), [
    ("how do i change the gérant of my SARL", "ask_legal_form"),
    ("comment augmenter le capital de ma sarl", "ask_creation"),
    ("how do i change the activité of my sarl", "ask_creation"),
    ("كيف أغير le gérant ديال الشركة؟", "ask_creation"),
    ("bghit nbeddel siège dyal charika l rabat", "ask_creation"),
    ("how do i transfer the siège social of my company to rabat", "ask_creation"),  # (the office changed, not asked)
])
def test_a_change_to_a_part_of_ones_company_is_the_companys_change(text: str, intent: str) -> None:
    assert answer(text, intent) == "company-changes"


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("what is the capital minimum of a sarl", "ask_legal_form", "sarl-capital"),  # no change
    ("c'est quoi le siège social", "ask_creation", "registered-office"),
    ("can i transfer my capital back to france", "ask_exchange", "fx-investment-transfers"),  # no part of a company
])
def test_a_part_of_a_company_without_a_change_keeps_its_entry(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry


def test_the_pairs_name_the_changes_subject() -> None:
    subjects, parts = index().vocabulary.named_together("how do i change the gérant of my SARL")
    assert subjects == ["procedure:company_changes"] and parts
    assert index().vocabulary.named_together("what is the gérant of a SARL") == ([], [])


@pytest.mark.parametrize(("text", "entry"), [
    ("for my retour définitif what can i bring in without paying douane?", "returning-residents-customs"),
    ("العودة النهائية إلى المغرب ما هي الإعفاءات الجمركية؟", "returning-residents-customs"),
    ("العودة النهائية ماذا يجب أن أصرح لمكتب الصرف؟", "fx-returning-residents"),
    ("retour définitif au Maroc, que dois-je déclarer ?", "fx-returning-residents"),
])
def test_a_name_two_subjects_share_leaves_the_other_words_to_say_which(text: str, entry: str) -> None:
    assert answer(text, "ask_exchange") == entry


def test_a_name_two_subjects_share_names_neither() -> None:
    assert index().subjects_in("retour définitif") == []
    assert index().subjects_in("rje3t nhaiyan") == ["exchange:returning_residents"]  # (its own name)


@pytest.mark.parametrize(("first", "second", "entry"), [
    ("ما هي وثائق تأسيس SARL؟", "و بالنسبة لـ SAS؟", "sas-documents"),
    ("ما هي وثائق تأسيس SARL؟", "وبالنسبة ل SAS؟", "sas-documents"),
])
def test_an_arabic_preposition_written_apart_before_a_latin_word_keeps_the_follow_up_in_context(
        first: str, second: str, entry: str) -> None:
    dialogue = Dialogue("ar")
    dialogue.turn(first, "ask_legal_form")
    result = dialogue.turn(second, "follow_up")
    assert result.confident and result.best and result.best.entry.id == entry
    assert index().question_terms("ما هي الوثائق المطلوبة للتسجيل كـ auto-entrepreneur؟")[1].count("ك") == 0


def test_the_arabizi_question_word_before_an_english_clause_asks_whether_one_can() -> None:
    assert answer("wach i can be auto-entrepreneur while living in holland?", "ask_legal_form") == "auto-entrepreneur-eligibility"
