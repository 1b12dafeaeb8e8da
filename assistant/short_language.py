"""The language of a short message in which the language identifier found no clue.

"land?", "fund?", "industrial land" (English) or "fonds ?", "un terrain ?" (French) hold no function
word of either language (`assistant/nlu/langid.py`), so the conversation kept its default language:
an English speaker asking a vague first question was answered, and asked to clarify, in French. Words
of the knowledge base's subjects that only one of the two languages writes (`assistant/words/
subject_words.yml`) are then a weak clue: they fill a conversation's language not recognised yet,
never switch one (`langid.sticky_language`), and say nothing when both languages' words are there or
the message has Arabic letters (the identifier always reads those). A French article elided before a
word ("l'immatriculation ?", "d'une SARL") is such a clue too: English never writes it, and Arabizi,
which borrows it, is answered in French. And a short Arabizi question borrowing an English business
word ("chno howa business plan?") is Arabizi, not English, when the identifier's weak English reading
rests on no more English words than Arabizi ones (Arabizi markers are no English). Pure Python: used in
the Rasa process (`assistant.language_slots`) and by the action server's slot validation alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from assistant.languages import ANSWER_LANGUAGE
from assistant.lexicon import entries, phrase_words
from assistant.nlu.langid import _ARABIZI_DIGIT_WORD as ARABIZI_DIGIT_WORD  # (the identifier's own pattern)
from assistant.nlu.langid import ARABIZI_WORDS, ENGLISH_WORDS, FRENCH_WORDS, identify
from assistant.text import ARABIC_LETTER, words

#: The confidence of such a clue (a weak detection, as langid gives a short message with one clue).
CLUE_CONFIDENCE: Final = 0.6


#: A French article or pronoun elided before a word ("l'immatriculation", "d'une", "qu'il").
ELIDED: Final = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t)['’](?=[a-z])")


def subject_words_language(text: str) -> str | None:
    """The one language (fr or en) whose subject words the message holds (or a French elision), or None."""
    if ARABIC_LETTER.search(text):
        return None
    tokens = words(text)
    elided = {t for t in tokens if ELIDED.match(t)}
    bare = {ELIDED.sub("", t) for t in tokens}
    found = [language for language in ("fr", "en") if bare & entries("subject_words", language) or (language == "fr" and elided)]
    return found[0] if len(found) == 1 else None


def english_over_arabizi(detection: Mapping[str, Any], text: str) -> bool:
    """Whether a weak Arabizi reading of a Latin message is English: its only Arabizi words are words
    English writes too ("bank", "min"), beside an English subject word and no French one ("bank
    account?"), English function words and no French ones ("which bank?"), alone when they are English
    subject words ("bank?": Arabizi writes "lbank", "lbanka"), or beside nothing holding a clue of any
    language ("min capital?": "capital" is both French and English). As a weak reading, it only fills a
    conversation's language not recognised yet: an Arabizi conversation stays Arabizi."""
    if detection.get("variety") != "arabizi" or detection.get("strength") != "weak":
        return False
    tokens = set(words(text))
    marks = {t for t in tokens if t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t)}
    rest = tokens - marks
    english = {t for t in rest if t in ENGLISH_WORDS and t not in FRENCH_WORDS}
    french = {t for t in rest if t in FRENCH_WORDS and t not in ENGLISH_WORDS}
    if not marks or not marks <= entries("subject_words", "arabizi_in_english"):
        return False
    rest_text = " ".join(rest)
    rest_language = subject_words_language(rest_text)
    if rest_language == "en" or (english and not french):
        return True
    if not rest:
        return marks <= entries("subject_words", "en")  # ("bank?" alone)
    # nothing else holds a clue of any language ("min capital?")
    return not french and rest_language is None and identify(rest_text).strength == "none"


def arabizi_over_english(detection: Mapping[str, Any], text: str) -> bool:
    """Whether a weak English reading of a Latin message is Arabizi borrowing English words: it holds an
    Arabizi marker word (not one English writes too) and no more English-only words than Arabizi ones
    ("chno howa business plan?")."""
    if detection.get("language") != "en" or detection.get("strength") != "weak" or ARABIC_LETTER.search(text):
        return False
    tokens = words(text)
    # (a word English writes too is no Arabizi marker in an English reading: "min capital for sarl?")
    shared = entries("subject_words", "arabizi_in_english")
    arabizi = sum(1 for t in tokens if (t in ARABIZI_WORDS or ARABIZI_DIGIT_WORD.match(t)) and t not in shared)
    english = sum(1 for t in tokens if t in ENGLISH_WORDS and t not in FRENCH_WORDS and t not in ARABIZI_WORDS)
    return arabizi > 0 and english <= arabizi


def with_subject_words(detection: Mapping[str, Any] | None, text: str) -> dict[str, Any] | None:
    """The message's detection, or, when it found no language, a weak one from its subject words (or
    Arabizi for a weak English reading of an Arabizi message)."""
    if detection and detection.get("language"):
        if arabizi_over_english(detection, text or ""):
            return {**detection, "variety": "arabizi", "language": ANSWER_LANGUAGE["arabizi"]}
        if english_over_arabizi(detection, text or ""):  # ("bank account?")
            return {**detection, "variety": "en", "language": ANSWER_LANGUAGE["en"]}
        return dict(detection)
    language = subject_words_language(text or "")
    if language is None:
        return dict(detection) if detection else None
    none = {"variety": None, "language": None, "strength": "none", "confidence": 0.0, "words": 0, "requested": None}
    return {**none, **(detection or {}), "variety": language, "language": ANSWER_LANGUAGE[language], "strength": "weak",
            "confidence": CLUE_CONFIDENCE}


def past_acknowledgements(detection: Mapping[str, Any] | None, text: str, confirmed: bool) -> Mapping[str, Any] | None:
    """In a conversation whose language is known (`confirmed`), a message opening with thanks or an ok
    before words holding no clue of their language ("ok thanks, w l rc?" in an Arabizi conversation,
    "merci, w tva?"; `acknowledgements` in words/conversation.yml): the thanks alone do not switch the
    conversation's language, the message says nothing of it. Thanks before words with a clue ("merci,
    and what about the vat?"), or alone ("thanks!"), keep the message's own reading."""
    if not confirmed or not detection or detection.get("requested"):
        return detection
    tokens = words(text or "")
    phrases = sorted(phrase_words("conversation", "acknowledgements"), key=len, reverse=True)
    start = 0
    while (said := next((p for p in phrases if tuple(tokens[start:start + len(p)]) == p), None)) is not None:
        start += len(said)
    if start == 0 or start >= len(tokens):
        return detection
    rest = identify(" ".join(tokens[start:]))
    return rest.as_dict() if rest.strength == "none" and not rest.requested else detection

