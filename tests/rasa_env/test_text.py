"""Arabic normalisation and search terms."""

from __future__ import annotations

import pytest

from assistant.text import normalize, normalize_arabic, search_terms, stem


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أإآٱا", "ااااا"),  # alef variants
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("الشركة", "الشركه"),  # ta marbuta
        ("الشَّرِكَةُ", "الشركه"),  # diacritics
        ("الشــــركة", "الشركه"),  # tatweel
        ("٢٠٢٤ ۱۲", "2024 12"),  # Arabic-Indic and Persian digits
        ("سؤال؟", "سوال?"),
    ],
)
def test_arabic_normalisation(raw: str, expected: str) -> None:
    assert normalize_arabic(raw) == expected


def test_latin_folding_and_repeats() -> None:
    assert normalize("Créer une SOCIÉTÉ") == "creer une societe"
    assert normalize("bghiiiit") == "bghit"


def test_light_stemming() -> None:
    assert stem("بالشركه") == "شركه" and stem("والضريبه") == "ضريبه"
    assert stem("l'entreprise") == "entreprise" and stem("regions") == "region" and stem("cnss") == "cnss"
    assert search_terms("Les statuts de l'entreprise") == ["les", "statut", "de", "entreprise"]


def test_words_whose_first_letter_is_their_own_stay_whole() -> None:
    # assistant/words/stems.yml: "بغيت" is no "ب" + "غيت"; a preposition glued before such a word goes
    assert stem("بغيت") == "بغيت" and stem("وبغيت") == "بغيت"
    assert stem("فبلجيكا") == stem("بلجيكا") == "بلجيكا"
    assert stem("وبشحال") == "بشحال" and stem(normalize("لبلاد")) == "بلاد"
    assert search_terms("بغيت نحل SARL فطنجة") == ["بغيت", "نحل", "sarl", "طنجه"]


def test_a_latin_word_glued_to_an_arabic_proclitic_is_two_words() -> None:
    # "وSA؟" after the SARL's capital is "و SA؟": the name meets its unglued spelling
    assert search_terms("وSA؟") == search_terms("و SA؟") == ["و", "sa"]
    assert search_terms("شحال فCasa وللCNSS") == ["شحال", "ف", "casa", "ولل", "cnss"]
    # a word in one script, or a name glued to something else than a proclitic, stays whole
    assert search_terms("ولا SA") == ["ولا", "sa"] and search_terms("فبلجيكا") == ["بلجيكا"]
    assert search_terms("sarlديال") == ["sarlديال"]


def test_the_tokenizer_splits_a_glued_proclitic_with_offsets() -> None:
    from assistant.nlu.tokenizer import spacy_tokens

    tokens = spacy_tokens("شحال وSA؟", "darija")
    assert [(t.text, t.start, t.end) for t in tokens] == [("شحال", 0, 4), ("و", 5, 6), ("sa", 6, 8)]
