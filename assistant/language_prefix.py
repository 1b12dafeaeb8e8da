"""A message opening with a request for a language, then its question ("ok in english: how do I open a
company?", "en français svp : c'est quoi le RC ?", "بالعربية من فضلك: كيف أسجل شركة؟", "b darija 3afak: chno
homa lwra9 dyal sarl?"): the request sets the conversation's language, and the question is what the
message asks, read without it (#10).

The request is the part before the first separator (a colon, a comma, a dash, a semicolon) when
`assistant.nlu.langid.requested_language` reads it as one on its own; the question is what follows.
`split` finds both; the Rasa process reads the question alone for its intent and entities, with the
requested language (`assistant.language_prefixes`), and the knowledge search searches the question only
(`assistant.actions.message_search`). Pure Python: both environments.
"""

from __future__ import annotations

import re
from typing import Final, NamedTuple

from assistant.nlu.langid import requested_language

#: The request, then a separator, then the question (the request is short: a few words).
PREFIXED: Final = re.compile(r"^\s*([^:,،;؛\n]{1,40}?)\s*(?::|,|،|;|؛|\s[-–—]\s|\n)\s*(\S.*)$", re.DOTALL)
#: A question has letters: "in english please :)" asks nothing after its request.
LETTER: Final = re.compile(r"[^\W\d_]")


class Prefixed(NamedTuple):
    """The language a message's opening asks for, and the question that follows it."""

    language: str
    question: str


def split(text: str) -> Prefixed | None:
    """The requested language and the question after it, or None when the message does not open with
    a request for a language followed by something to read ("in english please" alone: None)."""
    if not text or text.lstrip().startswith("/"):
        return None
    match = PREFIXED.match(text)
    if match is None or not LETTER.search(match.group(2)):
        return None
    language = requested_language(match.group(1))
    return Prefixed(language, match.group(2).strip()) if language else None


def question_of(text: str) -> str:
    """The message without an opening request for a language ("ok in english: how do I open a company?":
    "how do I open a company?"); the message itself otherwise."""
    found = split(text)
    return found.question if found else text
