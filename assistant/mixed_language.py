"""Readings of a message mixing its language with a script or a language the identifier does not weigh (#10 items 3,
8 and "Bad input"), for the first turn's language (`assistant.short_language.with_subject_words`).

A French or English sentence naming Arabic-script terms ("c'est quoi l'المركز الجهوي للاستثمار exactement ?") is read
as Arabic for its share of Arabic words; a message in a language the assistant does not speak ("vorrei aprire una
societa in marocco") as English or French for its "in" or "a". Both are corrected here, weakly: they fill a
conversation's language not recognised yet, never switch one. Pure Python: both environments.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from assistant.bad_input import other_language
from assistant.lexicon import load
from assistant.nlu.langid import ARABIC_PUNCTUATION, DARIJA_WORDS, identify
from assistant.text import ARABIC_LETTER, normalize, words

#: The confidence of a weak clue (a weak detection, as langid gives a short message with one clue).
CLUE_CONFIDENCE: Final = 0.6
NONE: Final = {"variety": None, "language": None, "strength": "none", "confidence": 0.0, "words": 0, "requested": None}


def latin_frame(detection: Mapping[str, Any], text: str) -> dict[str, Any] | None:
    """The weak French or English reading of a message read as Arabic for its share of Arabic-script words whose
    Arabic words are terms only (no word framing an Arabic or Darija sentence: `sentence_frames` ar and darija in
    conversation.yml, nor a word of Darija, nor the Arabic question mark or comma), named in a French or English
    sentence ("c'est quoi l'المركز الجهوي للاستثمار exactement ?", "comment obtenir le السجل التجاري"). A weak
    reading: it fills a conversation's language not recognised yet, never switches one. None otherwise
    ("شحال le capital minimum ديال SA؟", "bonjour, الشهادة السلبية")."""
    if detection.get("language") != "ar" or detection.get("requested") or ARABIC_PUNCTUATION.search(text):
        return None
    tokens = words(text)
    arabic = {t for t in tokens if ARABIC_LETTER.search(t)}
    latin = [t for t in tokens if not ARABIC_LETTER.search(t)]
    if not arabic or not latin or arabic & (frames("sentence_frames", "ar") | frames("sentence_frames", "darija")
                                            | DARIJA_WORDS):
        return None
    reading = identify(" ".join(latin))
    # (a sentence's frame, or its question word: "ou se trouve le المركز الجهوي للاستثمار de tanger")
    if reading.variety not in ("fr", "en") or not set(latin) & (frames("sentence_frames", reading.variety)
                                                                 | frames("question_words", reading.variety)):
        return None
    return {**reading.as_dict(), "strength": "weak", "confidence": CLUE_CONFIDENCE}


def unspoken_language(detection: Mapping[str, Any] | None, text: str) -> dict[str, Any] | None:
    """No reading for a message in a Latin-script language the assistant does not speak (`other_language`:
    "ciao, vorrei aprire una societa in marocco", "ik wil een bedrijf starten"), whose "in", "a" or "une" were read
    as English or French: it says nothing of the answer language (a new conversation keeps its default, not
    recognised yet; an established one its own). None for any other message, or one asking for a language."""
    detection = detection or {}
    if detection.get("requested") or ARABIC_LETTER.search(text) or not other_language(text):
        return None
    return {**NONE, "words": detection.get("words", 0)}


@cache
def frames(key: str, variety: str) -> frozenset[str]:
    """One variety's words of a list of conversation.yml, normalised ("sentence_frames", "question_words")."""
    return frozenset(normalize(word) for word in load("conversation")[key][variety])
