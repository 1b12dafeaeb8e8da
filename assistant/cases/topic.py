"""The topic of a support request, for the staff queue.

The topic is what the investor asks the unit (the summary they wrote in the case form),
classified with the knowledge search: its best entry's topic. The last question asked
before the form is only a fallback: two MDM Invest requests must not be filed under
"Fiscalité" and "Formes juridiques" because of what was asked earlier.
"""

from __future__ import annotations

from assistant.kb.search import KnowledgeIndex, Query


def request_topic(index: KnowledgeIndex | None, summary: str | None, fallback: str | None = None) -> str | None:
    """The topic of the summary's best knowledge entry; `fallback` when the search finds nothing."""
    if index is None or not summary or not summary.strip():
        return fallback
    best = index.search(Query(text=summary)).best
    return best.entry.topic if best is not None else fallback
