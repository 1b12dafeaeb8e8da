"""First messages mixing scripts (issue #10 item 3), seen writing tests/data/dev_conversations/cs15b.yml: a Darija
or Arabic sentence naming a thing by its French word in Latin letters, with an Arabic preposition or a French
article ("واش نمشي للnotaire ولا للCRI؟", "نجيب les machines ديالي"), names it as with the word in the Arabic
letters the entries' Darija names use ("نمشي للنوطير", "الماكينات": words/arabic_letters.yml); a French phrase
inside the sentence is read as French ("carte de séjour"). First-turn language: a Darija question word with its
preposition glued after French terms ("le certificat négatif بشحال") is Darija; a French question word framing an
Arabic term ("ou se trouve le المركز الجهوي للاستثمار") is French."""

from __future__ import annotations

import pytest

from assistant.kb.script_spellings import arabic_spelled
from assistant.nlu.langid import identify
from assistant.short_language import with_subject_words
from tests.app_env.kb_index import answer, index


@pytest.mark.parametrize(("text", "reading"), [
    ("واش نمشي للnotaire ولا للCRI", "واش نمشي للنوطير ولا لل cri"),
    ("بغيت نجيب les machines ديالي", "بغيت نجيب الماكينات ديالي"),
    ("واش خاصني l'notaire", "واش خاصني النوطير"),
    ("نخلص ف la douane", "نخلص فالديوانه"),
])
def test_a_borrowed_french_word_is_read_in_arabic_letters(text: str, reading: str) -> None:
    assert arabic_spelled(text)[0] == reading


@pytest.mark.parametrize("text", [
    "c'est quoi le notaire",  # (a French sentence: as typed)
    "بلا visa ولا carte de séjour",  # (a French phrase: its French names read it)
    "le capital minimum ديال SARL",
    "شنو هو l'ICE",  # (no such word)
])
def test_no_arabic_reading_outside_a_borrowed_word(text: str) -> None:
    assert arabic_spelled(text) == []


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("واش نمشي للnotaire ولا للCRI باش نكري الشركة", "ask_creation", "creation-channels"),
    ("واش خاصني نمشي عند l'notaire باش نحل SARL", "ask_creation", "creation-channels"),
    ("شحال كياخد le notaire", "ask_creation", "notary-fees"),
    ("عندي atelier فإيطاليا وبغيت نجيب les machines ديالي للمغرب. واش غادي نخلص la douane عليهم؟", "ask_exchange",
     "importing-equipment"),
    ("هل أدفع الرسوم الجمركية على les machines التي أستوردها؟", "ask_exchange", "importing-equipment"),
    # (a subject named only in the clause saying when is the moment: the capital's deposit, as in French)
    ("واش ضروري نحط le capital فالبنكة قبل ما نمشي للـnotaire", "ask_creation", "capital-deposit"),
    ("واش ضروري ندير الكابيتال فالبنكة قبل ما نمشي للنوطير", "ask_creation", "capital-deposit"),
    ("wach khassni n7et capital f lbanka 9bel ma nmchi l notaire", "ask_creation", "capital-deposit"),
    # (French and English as before)
    ("je dois passer par le notaire ou le CRI pour créer ma société", "ask_creation", "creation-channels"),
    ("do i have to go through a notaire to create my company", "ask_creation", "creation-channels"),
])
def test_a_thing_named_by_its_borrowed_word_is_answered(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry


def test_the_borrowed_word_names_the_subject() -> None:
    assert "exchange:equipment_import" in index().subjects_in("بغيت نجيب les machines ديالي")
    assert "procedure:creation_channels" in index().subjects_in("واش نمشي للnotaire")


@pytest.mark.parametrize(("text", "language"), [
    ("le certificat négatif بشحال", "ar"),
    ("le certificat négatif شحال", "ar"),
    ("ou se trouve le المركز الجهوي للاستثمار de tanger", "fr"),
    ("c'est quoi l'المركز الجهوي للاستثمار exactement ?", "fr"),  # (as before)
    ("where is the المركز الجهوي للاستثمار of tanger", "en"),
    ("شحال le capital minimum ديال SA؟", "ar"),
])
def test_first_turn_language_of_mixed_scripts(text: str, language: str) -> None:
    reading = with_subject_words(identify(text).as_dict(), text) or {}
    assert reading.get("language") == language
