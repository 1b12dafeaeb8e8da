"""Language identification on the labelled set (tests/data/language_id.yml, written independently)."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from assistant.nlu.langid import Detection, identify, requested_language, sticky_language
from assistant.settings import ROOT

DATA = yaml.safe_load((ROOT / "tests" / "data" / "language_id.yml").read_text(encoding="utf-8"))
LONG = [m for m in DATA["messages"] if m["variety"] != "none" and len(m["text"].split()) >= 4]
SHORT = [m for m in DATA["messages"] if m["variety"] == "none" or len(m["text"].split()) < 4]


def test_the_labelled_set_is_large_and_covers_every_variety() -> None:
    counts = Counter(m["variety"] for m in DATA["messages"])
    assert len(DATA["messages"]) >= 200
    assert all(counts[v] >= 30 for v in ("fr", "en", "ar", "darija", "arabizi")) and counts["none"] >= 30


def test_accuracy_on_messages_of_four_words_or_more() -> None:
    for variety in ("fr", "en", "ar", "darija", "arabizi"):
        items = [m for m in LONG if m["variety"] == variety]
        correct = sum(identify(m["text"]).variety == variety for m in items)
        assert correct / len(items) >= 0.95, (variety, correct, len(items))
    overall = sum(identify(m["text"]).variety == m["variety"] for m in LONG) / len(LONG)
    assert overall >= 0.95


@pytest.mark.parametrize("message", SHORT, ids=lambda m: m["text"][:20])
def test_short_and_ambiguous_messages_never_flip_an_established_language(message: dict) -> None:
    detection = identify(message["text"])
    for current in ("fr", "ar", "en"):
        assert sticky_language(current, detection) == current


@pytest.mark.parametrize("switch", DATA["switches"], ids=lambda s: s["text"][:25])
def test_explicit_switch_requests(switch: dict) -> None:
    assert requested_language(switch["text"]) == switch["target"]


@pytest.mark.parametrize(
    "text",
    ["Les statuts peuvent-ils être rédigés en arabe ?", "Is the negative certificate delivered in French?",
     "واش الشهادة كتكون بالفرنسية؟", "My partner only speaks Arabic, is that a problem for the statutes?"],
)
def test_questions_mentioning_a_language_are_not_switch_requests(text: str) -> None:
    assert requested_language(text) is None


def test_sticky_rules() -> None:
    strong_en = Detection("en", "en", "strong", 0.9, 6)
    weak_ar = Detection("ar", "ar", "weak", 0.9, 1)
    arabizi = Detection("arabizi", "fr", "strong", 0.9, 6)
    assert sticky_language(None, weak_ar) == "ar"  # a first clue sets it
    assert sticky_language("fr", weak_ar) == "fr"  # a short one never flips it
    assert sticky_language("fr", strong_en) == "en"  # a real sentence in another language does
    assert sticky_language("ar", arabizi) == "ar"  # Darija in Latin script keeps an Arabic conversation
    assert sticky_language("en", Detection(None, None, "none", 0, 0, requested="fr")) == "fr"
    assert sticky_language("ar", strong_en, pinned=True) == "ar"  # an explicit choice holds


@pytest.mark.parametrize("text", ["", "   ", "👍👍", "\x00\x1b[31m", "x" * 10_000, "مرحبا hello bonjour", "+33 6 12 34 56 78"])
def test_bad_input(text: str) -> None:
    identify(text)


@pytest.mark.parametrize(
    "text",
    ["شحال le capital minimum ديال SA؟", "كيفاش ندير le certificat négatif؟", "واش l'auto-entrepreneur كيخلص la TVA؟"],
)
def test_darija_with_french_words_is_darija(text: str) -> None:
    assert identify(text).variety == "darija"


def test_a_french_message_after_an_arabic_greeting_is_french() -> None:
    assert identify("السلام عليكم, je voudrais savoir le prix de la création d'une SARL au Maroc").variety == "fr"


@pytest.mark.parametrize("text", ["SARL ولا SA؟", "MDM؟", "CNSS؟", "Intelaka، Forsa"])
def test_names_typed_on_an_arabic_keyboard_are_arabic(text: str) -> None:
    # the Arabic word or question mark decides when the Latin words are only names and acronyms
    detection = identify(text)
    assert detection.language == "ar" and detection.strength == "weak"
    assert sticky_language("fr", detection) == "fr"  # weak: it never flips an established language


@pytest.mark.parametrize("text", ["MDM?", "ICE ?", "SARL, SA ou SAS ?", "c quoi MDM؟"])
def test_latin_names_with_a_latin_mark_or_french_words_are_not_arabic(text: str) -> None:
    assert identify(text).language != "ar"


@pytest.mark.parametrize("text", ["fees?", "steps?", "requirements?", "what are the requirements?", "any grant?"])
def test_english_only_words_of_the_domain_are_english_alone(text: str) -> None:
    # a one-word question in a fresh conversation had no language and got the French default
    detection = identify(text)
    assert detection.language == "en" and detection.strength in {"weak", "strong"}, detection


@pytest.mark.parametrize("text", ["les frais ?", "wach l auto entrepreneur kaykhelles", "chhal dyal les fees"])
def test_english_domain_words_do_not_take_french_or_arabizi(text: str) -> None:
    assert identify(text).language == "fr"


@pytest.mark.parametrize("text", ["what's a SARL?", "whats a sarl", "what's a CRI", "on what?"])
def test_a_word_both_languages_have_does_not_hold_back_a_short_english_message(text: str) -> None:
    # "a" and "on" are French and English: "what's a SARL?" had no language and got French
    detection = identify(text)
    assert detection.language == "en" and detection.strength == "weak", detection


@pytest.mark.parametrize("text", ["a SARL?", "on SARL"])
def test_shared_words_alone_name_no_language(text: str) -> None:
    assert identify(text).strength == "none"


@pytest.mark.parametrize("text", ["what's a SARL AU?", "whats a sarl au", "is a sarl au better than an sa?"])
def test_the_au_of_sarl_au_is_no_french(text: str) -> None:
    # "AU" (associé unique) ending the name made "what's a SARL AU?" French
    assert identify(text).language == "en"


@pytest.mark.parametrize("text", ["Quel est le capital minimum pour une SARL au Maroc ?", "la SARL au capital de 10 000 DH"])
def test_the_french_au_after_sarl_stays_french(text: str) -> None:
    assert identify(text).language == "fr"
