"""The knowledge index the search tests share: built once per test process from knowledge/; and
the searches they check, one helper whose parameters say what each test file's checks differ in."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assistant.actions.message_search import search_message
from assistant.kb.schema import load_directory
from assistant.kb.search import KnowledgeIndex, Query, Result
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
from tests.app_env.conftest import KNOWLEDGE


@lru_cache(maxsize=1)
def index() -> KnowledgeIndex:
    entries = load_directory(KNOWLEDGE)
    return KnowledgeIndex(entries, build_vocabulary(entries, read_vocabulary_documents(KNOWLEDGE)))


def searched(text: str, intent: str | None = None, confidence: float | None = None, *, whole: bool = True,
             clear: bool = False, **context: Any) -> Result:
    """A message's search result: as the action searches a message (`whole`: search_message, which
    reads its acronyms, self-introduction and parts first) or the index's search alone. The NLU's
    `confidence` is 0.9 when it read an `intent` unless given; `context`: the Query's other fields
    (the conversation's subject and facet, the options offered). `clear`: the search must answer
    clearly (confident, no clarifying question), an assertion naming its hits otherwise."""
    query = Query(text=text, intent=intent, intent_confidence=(0.9 if intent else 0.0) if confidence is None else confidence,
                  **context)
    result = search_message(index(), query) if whole else index().search(query)
    assert not clear or (result.confident and not result.ambiguous and result.best), (text, [h.entry.id for h in result.hits])
    return result


def answer(text: str, intent: str | None = None, confidence: float | None = None, *, ambiguous: bool = False,
           whole: bool = True, clear: bool = False, **context: Any) -> str | None:
    """The entry a message gets as a confident answer, None otherwise: not beside a clarifying
    question's options, unless `ambiguous` (the other parameters: `searched`)."""
    result = searched(text, intent, confidence, whole=whole, clear=clear, **context)
    return result.best.entry.id if result.best and result.confident and (ambiguous or not result.ambiguous) else None
