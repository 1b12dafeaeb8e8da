"""The language of a short message in which the language identifier found no clue.

"land?", "fund?", "industrial land" (English) or "fonds ?", "un terrain ?" (French) hold no function
word of either language (`assistant/nlu/langid.py`), so the conversation kept its default language:
an English speaker asking a vague first question was answered, and asked to clarify, in French. Words
of the knowledge base's subjects that only one of the two languages writes (`assistant/words/
subject_words.yml`) are then a weak clue: they fill a conversation's language not recognised yet,
never switch one (`langid.sticky_language`), and say nothing when both languages' words are there or
the message has Arabic letters (the identifier always reads those). Pure Python: used in the Rasa
process (`assistant.language_slots`) and by the action server's slot validation alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from assistant.languages import ANSWER_LANGUAGE
from assistant.lexicon import entries
from assistant.text import ARABIC_LETTER, words

#: The confidence of such a clue (a weak detection, as langid gives a short message with one clue).
CLUE_CONFIDENCE: Final = 0.6


def subject_words_language(text: str) -> str | None:
    """The one language (fr or en) whose subject words the message holds, or None."""
    if ARABIC_LETTER.search(text):
        return None
    tokens = set(words(text))
    found = [language for language in ("fr", "en") if tokens & entries("subject_words", language)]
    return found[0] if len(found) == 1 else None


def with_subject_words(detection: Mapping[str, Any] | None, text: str) -> dict[str, Any] | None:
    """The message's detection, or, when it found no language, a weak one from its subject words."""
    if detection and detection.get("language"):
        return dict(detection)
    language = subject_words_language(text or "")
    if language is None:
        return dict(detection) if detection else None
    none = {"variety": None, "language": None, "strength": "none", "confidence": 0.0, "words": 0, "requested": None}
    return {**none, **(detection or {}), "variety": language, "language": ANSWER_LANGUAGE[language], "strength": "weak",
            "confidence": CLUE_CONFIDENCE}
