"""Whether a message only asks where a case stands.

A status request's words are also words of the knowledge base ("demande": the trademark request;
"وصل", "طلب": law 55-19's receipt), so the search behind "merci ! dernière question : …" (a
question typed beside a status request) answered "où en est ma demande ?" with a clarifying question
and "أين وصل طلبي؟" with law 55-19. A message made only of status words (data: `words/case_status.yml`),
function words and case references asks nothing else. Pure Python.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Final

from assistant.kb.terms import content_terms
from assistant.lexicon import raw_entries
from assistant.text import search_terms

#: A case reference as the search's terms spell it ("mre-2026-0123").
REFERENCE_TERM: Final = re.compile(r"mre-\d{4}-\d+")


@cache
def status_terms() -> frozenset[str]:
    """The status words, as the search's terms spell them."""
    return frozenset(t for word in raw_entries("case_status", "words") for t in search_terms(word))


def only_asks_status(text: str) -> bool:
    """Whether every content word of `text` is a status word or a case reference."""
    return all_status_terms(content_terms(text))


def all_status_terms(terms: Sequence[str]) -> bool:
    words = status_terms()
    return all(t in words or REFERENCE_TERM.fullmatch(t) for t in terms)
