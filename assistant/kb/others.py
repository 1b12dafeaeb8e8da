"""The other option of a clarifying question: "et l'autre ?", "and the other one?", "w lakhor?",
"والأخرى؟" after choosing one of the options asks for the option(s) not chosen.

The words are data (`assistant/words/conversation.yml`: `others`, `other_fillers`); the options
not chosen come from the conversation (the action reads its last clarifying question).
Pure Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from assistant.kb.query import Hit, Result
from assistant.kb.schema import Entry
from assistant.kb.terms import STOPWORDS
from assistant.lexicon import raw_entries
from assistant.text import search_terms


@cache
def _terms(key: str) -> frozenset[str]:
    return frozenset(t for entry in raw_entries("conversation", key) for t in search_terms(entry))


def asks_for_other(text: str) -> bool:
    """Whether a message asks only for "the other one" (its words: `others`, with at most
    `other_fillers` and function words beside them)."""
    terms = set(search_terms(text)) - STOPWORDS
    others = _terms("others")
    return bool(terms & others) and terms <= others | _terms("other_fillers")


def other_options(entries: Sequence[Entry]) -> Result:
    """The answer to "the other one": the option not chosen, or a clarifying question between
    the options not chosen when there are several."""
    hits = [Hit(entry, 100.0, ("other",)) for entry in entries]
    if len(entries) == 1:
        return Result(hits, confident=True, subject=entries[0].subject, facet=entries[0].facet)
    return Result(hits, confident=True, ambiguous=len(entries) > 1, subject=None, options=list(entries),
                  asked=tuple(sorted({entry.facet for entry in entries})))
