"""Which entries answer a message: the search's query read from the tracker, the message
searched on its first part when it asks two things, and the other part answered or offered.
No dispatching here: knowledge.py sends what these find.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from rasa_sdk import Tracker

from assistant.actions.common import LONG_MESSAGE_CHARS, last_bot_response, latest_text
from assistant.actions.options import after_general_answer, offered_entries, unchosen_options, within_offered
from assistant.contract import INTENT_TOPICS
from assistant.kb.parts import (
    acknowledges,
    expand_acronyms,
    from_country,
    lives_abroad,
    split_question,
    without_introduction,
)
from assistant.kb.schema import Entry
from assistant.kb.search import KnowledgeIndex, Query, Result, subjects_from_entities

#: The intent whose button payload asks for one entry: `/<intent>{"kb_entry": "<id>"}`.
TOPIC_INTENT = {topic: intent for intent, topic in INTENT_TOPICS.items()}
#: Buttons offered for the other part of a two-part question (two when it fits two entries).
MAX_OTHER_PARTS = 2
#: The answer saying a subject is outside the base (knowledge.py): a follow-up after it has no subject.
OUTSIDE_ANSWER = "utter_kb_outside"


def query_from_tracker(tracker: Tracker, index: KnowledgeIndex) -> Query:
    """The search's query for the latest message: its words, the NLU's reading, and what the
    conversation holds (its subject and aspect, the entries just offered)."""
    message = tracker.latest_message or {}
    intent = message.get("intent") or {}
    entities = message.get("entities") or []
    chosen = [str(e.get("value")) for e in entities if e.get("entity") == "kb_entry"]
    text = latest_text(tracker)
    return Query(
        text="" if text.startswith("/") else text[:LONG_MESSAGE_CHARS],  # a button's payload has no words
        intent=intent.get("name"),
        intent_confidence=float(intent.get("confidence") or 0.0),
        subjects=subjects_from_entities(entities, index.vocabulary),
        context_subject=tracker.get_slot("kb_subject"),
        context_facet=tracker.get_slot("kb_facet"),
        entry_id=chosen[-1] if chosen else None,
        offered=offered_entries(tracker),
        alternatives=unchosen_options(tracker),
        related=after_general_answer(tracker),
        after_outside=last_bot_response(tracker) == OUTSIDE_ANSWER,
    )


def search_message(index: KnowledgeIndex, query: Query) -> Result:
    """The search for a message; a message asking two things is answered on its first part
    (the others are answered or offered by `other_part`), never with a clarifying question:
    its close candidates are its parts ("c'est quoi Forsa et c'est quoi Intelaka ?")."""
    # acronyms first: the introduction's removal lower-cases the message, and "IS" is an
    # acronym only in capitals ("et l'IS ?" after the VAT rate is corporate tax)
    # (a lower-case acronym dropped as a word names no subject, whatever the NLU's entities: "créer
    # sa société" is not the SA)
    if query.text:
        expanded = expand_acronyms(query.text)
        dropped = set(index.subjects_in(query.text)) - set(index.subjects_in(expanded))
        query = replace(query, text=from_country(without_introduction(expanded)), abroad=lives_abroad(query.text),
                        subjects=tuple(s for s in query.subjects if s not in dropped))
    # a part made only of function words ("انا" before "واش…", once "ana sakna f…" is dropped) asks nothing
    parts = split_question(query.text)
    if len(parts) > 1:  # (a one-part message is not spell-checked twice)
        parts = [part for part in parts if index.question_terms(part)[1]]
    if len(parts) < 2 or query.entry_id is not None:
        result = index.search(query)
        # after a clarifying question, a follow-up not found, or clarified with options outside its
        # subjects, is read in them first ("w ch7al max?" after the financing options)
        offered = {e.subject for e in map(index.get, query.offered or query.related) if e is not None}
        outside = result.ambiguous and any(o.subject not in offered for o in result.options)
        if result.confident and not (query.intent == "follow_up" and outside):
            return result
        return within_offered(index, query) or result
    head = index.search(replace(query, text=parts[0]))
    if head.best is None or not head.confident:
        head = index.search(query)
    return replace(head, ambiguous=False, options=[])


class OtherPart(NamedTuple):
    """Another part of a two-part question: the entries that answer it, and whether one
    answers it clearly (then it is answered too; otherwise offered as buttons)."""

    entries: list[Entry]
    text: str = ""
    sure: bool = False


def first_part(text: str, other: OtherPart) -> str:
    """The words the first answer answers: without the other part, whose "combien ça coûte ?"
    must not turn "Quelles sont les étapes… et combien ça coûte ?" into one step with an amount."""
    if not other.entries or not other.text or other.text == text:
        return text
    return " ".join(part for part in split_question(text) if part != other.text) or text


def other_part(tracker: Tracker, index: KnowledgeIndex, result: Result) -> OtherPart:
    """The other part of a two-part question ("…et combien ça coûte ?"), so no part is dropped."""
    previous = [tracker.get_slot("kb_entry"), tracker.get_slot("kb_subject")]
    return other_part_of(index, latest_text(tracker)[:LONG_MESSAGE_CHARS], result, [p for p in previous if p])


def other_part_of(index: KnowledgeIndex, text: str, result: Result, previous: Sequence[str] = ()) -> OtherPart:
    """The best entry for the first part not answered yet, searched in the answer's context
    (its subject and topic); when two entries fit that part equally, both are offered. A part made only
    of thanks is about the previous answer (`previous`: its entry and subject, empty on a first turn):
    after an answer it asks nothing, whatever the answer's context would make of it."""
    text = expand_acronyms(text)  # "le taux de l'IS et la TVA ?": the IS is a subject, as in the search
    parts = split_question(text)
    if result.best is None:
        return OtherPart([])
    if len(parts) < 2:
        return other_subject(index, text, result)
    answered = result.best.entry
    intent = TOPIC_INTENT.get(answered.topic)
    for part in parts:
        found = index.search(Query(text=part, intent=intent, context_subject=result.subject))
        best = found.best
        if previous and acknowledges(part):
            continue  # thanks for the previous answer ask nothing ("ok merci, w chno les documents…" after the steps)
        if best is None or best.entry.id == answered.id or not (best.lexical or {"subject", "context"} & set(best.reasons)):
            continue
        if found.ambiguous:
            return OtherPart([o for o in found.options if o.id != answered.id][:MAX_OTHER_PARTS], part)
        if found.confident or {"subject", "context", "facet", "aspect"} & set(best.reasons):
            return OtherPart([best.entry], part, sure=found.confident)
    return OtherPart([])


def other_subject(index: KnowledgeIndex, text: str, result: Result) -> OtherPart:
    """A second subject of the same kind asked in the same breath ("le taux de l'IS et de la
    TVA ?", "capital SARL w SA ?"): its entry for the same aspect is answered too, or its
    overview offered. A comparison without an aspect is answered by the topic's overview."""
    best = result.best
    named = best.entry.subject if best is not None and "subject" in best.reasons else None
    if best is None or named is None:
        return OtherPart([])
    answered = best.entry
    kind = named.split(":", 1)[0]
    for subject in index.subjects_in(text):
        if subject == named or not subject.startswith(kind + ":"):
            continue
        candidates = [e for e in index.entries if e.subject == subject]
        same = [e for e in candidates if e.facet == answered.facet]
        if same:
            return OtherPart(same[:1], text, sure=True)
        overview = [e for e in candidates if e.facet == "overview"]
        if overview:
            return OtherPart(overview[:1], text)
    return OtherPart([])
