"""What a message typed in the case form means: an answer, a cancellation, a question.

Pure functions of the message text (and the classifier's guess where one is needed),
so the action server and the guidance service read messages the same way. The word
lists are data: `assistant/words/*.yml`.
"""

from __future__ import annotations

from assistant.contract import INTENT_TOPICS
from assistant.lexicon import entries, says
from assistant.text import normalize, words

#: Intents of a knowledge-base question.
QUESTION_INTENTS = frozenset({*INTENT_TOPICS, "follow_up"})
#: Intents that say the message is not a name ("je veux parler à quelqu'un", a question…).
NOT_AN_ANSWER = frozenset(
    {*QUESTION_INTENTS, "request_human", "ask_case_status", "request_data_deletion", "out_of_scope", "bot_challenge"}
)


def wants_cancel(text: str, intent: str | None = None, confidence: float = 0.0) -> bool:
    """An explicit "annuler / cancel / بلاش"; a guessed intent is not enough for a free-text answer."""
    normalised = normalize(text).strip(" !.?")
    tokens = normalised.split()
    words = entries("cancel", "words")
    if normalised in words or (len(tokens) <= 3 and any(t in words for t in tokens)):
        return True
    if any(phrase in normalised for phrase in entries("cancel", "phrases")):
        return True
    return intent == "cancel" and confidence >= 0.95 and len(tokens) <= 3


def looks_like_question(text: str, intent: str | None, confidence: float) -> bool:
    """A knowledge-base question typed while the form waits for an answer."""
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]  # "+32 470 12 34 56" has none
    return (
        intent in QUESTION_INTENTS
        and confidence >= 0.7
        and bool(words)
        and ("?" in text or "؟" in text or len(words) >= 5)
    )


def question_shaped(text: str) -> bool:
    """Three words or more ending in a question mark: a question, whatever the classifier's
    confidence ("je veux ouvrir un riad à Marrakech, quelles aides ?" typed for a contact)."""
    words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
    return len(words) >= 3 and text.rstrip().endswith(("?", "؟"))


def is_something_else(text: str, intent: str | None, confidence: float) -> bool:
    """A sentence the classifier confidently reads as a request or question, not a name."""
    return intent in NOT_AN_ANSWER and confidence >= 0.8 and len(text.split()) > 4



def asks_for_a_person(text: str) -> bool:
    """Words asking for the unit's people or for a case ("parler à un conseiller", "التحدث مع موظف",
    "chi wa7ed", "mon dossier"): a request for a person, whatever subject it also names
    (`case_form.yml` `person`)."""
    return says(words(text), "case_form", "person")


def asks_for_erasure(text: str) -> bool:
    """Words asking to erase one's data ("supprimer mes données", "مسح بياناتي", "msa7 data dyali"):
    a request to erase, whatever else it asks (`case_form.yml` `erasure`)."""
    return says(words(text), "case_form", "erasure")
