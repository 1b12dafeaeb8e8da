"""The options of the conversation's clarifying questions, read from the tracker's events:
those just offered (a message may choose one by paraphrasing it) and those not chosen (a
later "et l'autre ?" asks for them)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from rasa_sdk import Tracker

from assistant.actions.feedback import ANSWERS
from assistant.kb.search import Hit, KnowledgeIndex, Query, Result
from assistant.lexicon import contains_phrase, raw_entries
from assistant.text import search_terms

#: The entry a button's payload asks for.
CHOSEN_ENTRY = re.compile(r'"kb_entry":\s*"([^"]+)"')
#: A clarifying question this many user messages back (the question, the choice, "the other one")
#: still has options to ask for.
OTHER_WITHIN_USERS = 3


def _options(event: dict[str, Any]) -> tuple[str, ...]:
    buttons = (event.get("data") or {}).get("buttons") or []
    found = (CHOSEN_ENTRY.search(str(b.get("payload") or "")) for b in buttons if isinstance(b, dict))
    return tuple(dict.fromkeys(m.group(1) for m in found if m))


def _clarifying(event: dict[str, Any]) -> bool:
    return event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == "utter_kb_clarify"


def _options_just_before(tracker: Tracker, shown: Callable[[dict[str, Any]], bool]) -> tuple[str, ...]:
    """The entries of the buttons of the bot message `shown` picks between the user's last two messages."""
    users = 0
    for event in reversed(list(tracker.events or [])):
        if event.get("event") == "user":
            users += 1
            if users > 1:
                break
        elif users == 1 and shown(event):
            return _options(event)
    return ()


def offered_entries(tracker: Tracker) -> tuple[str, ...]:
    """The entries a clarifying question offered just before the user's message: a message
    may choose one by paraphrasing it ("la TVA", "the corporate one")."""
    return _options_just_before(tracker, _clarifying)


def after_general_answer(tracker: Tracker) -> tuple[str, ...]:
    """The entries under the answer just given when it was a topic's general entry (no subject:
    the financing overview): the question that follows may be about one of them ("w ch7al
    max?"), and is read in their subjects as after a clarifying question."""
    if tracker.get_slot("kb_subject") or not tracker.get_slot("kb_entry"):
        return ()
    return _options_just_before(tracker, lambda event: event.get("event") == "bot" and (
        event.get("metadata") or {}).get("utter_action") in ANSWERS)


def unchosen_options(tracker: Tracker) -> tuple[str, ...]:
    """The options of the last clarifying question other than the one answered since (slot
    `kb_entry`); none when the answer given since was not one of them."""
    users = 0
    for event in reversed(list(tracker.events or [])):
        if event.get("event") == "user":
            users += 1
            if users > OTHER_WITHIN_USERS:
                break
        elif _clarifying(event):
            options, chosen = _options(event), tracker.get_slot("kb_entry")
            return tuple(o for o in options if o != chosen) if chosen in options else ()
    return ()


def kept_for_other_aspect(result: Result, asked: tuple[str, ...]) -> bool:
    """Whether a result read in the subject of an entry offered beside a general answer is only
    that subject's overview, kept for an aspect the message asks (`asked`, read alone) it has no
    entry for ("do i need a moroccan partner?" after the creation costs, read in the subjects of the
    negative certificate's fee and of the CRIs: their overviews say nothing of partners). (The
    options of a clarifying question are offered as such and still asked again.)"""
    best = result.best
    return bool(best and asked and best.entry.facet == "overview" and "overview" not in asked)


def asks_how_much(index: KnowledgeIndex, text: str) -> bool:
    """A message asking how much and nothing else ("combien ?", "ch7al?", "وشحال؟"): words of `amount_words`
    (conversation.yml), no content term of its own."""
    terms = search_terms(text)
    return not index.question_terms(text)[1] and any(contains_phrase(terms, p) for p in _amount_words())


@cache
def _amount_words() -> tuple[tuple[str, ...], ...]:
    return tuple(terms for w in raw_entries("conversation", "amount_words") if (terms := tuple(search_terms(w))))


def amounts_of(index: KnowledgeIndex, related: Sequence[str]) -> Result | None:
    """How much, asked right after a topic's general answer (the financing overview): the subjects under it
    whose overview states their amounts (a programme's ceiling), offered to choose from; None when none is."""
    choices = [e for e in map(index.get, related) if e is not None and e.subject and e.facet == "overview"]
    if not choices:
        return None
    topic = Counter(e.topic for e in choices).most_common(1)[0][0]  # (the general answer's own topic: not the unit)
    choices = [e for e in choices if e.topic == topic]
    return Result(hits=[Hit(e, 1.0) for e in choices], confident=True, ambiguous=len(choices) > 1, options=choices)


def within_offered(index: KnowledgeIndex, query: Query) -> Result | None:
    """An elliptic message right after a clarifying question it does not choose from ("w ch7al
    max?" after the financing options, not found alone; "who can apply?", whose own meanings
    would include the auto-entrepreneur's) is read in each option's subject: the one option that
    answers it is the answer; the options of several are asked again, the others dropped. None: no option does,
    or the message names a subject of its own (a new question)."""
    options = query.offered or query.related
    if query.related and not query.offered and asks_how_much(index, query.text):
        # (unless the conversation answers it: "w ch7al?" after the creation steps is what creating costs)
        answered = index.search(replace(query, offered=(), related=()))
        if answered.confident and not answered.ambiguous and answered.best is not None:
            return answered
        return amounts_of(index, query.related)
    if (not options or query.context_subject or query.subjects or index.subjects_in(query.text)
            or not index.question_terms(query.text)[1]):
        return None  # ("ok" asks nothing)
    found: dict[str, Result] = {}
    related = not query.offered  # (the entries under a general answer, not a clarifying question's options)
    plain = index.search(replace(query, offered=(), related=())) if related else None
    if plain is not None and plain.confident and not plain.ambiguous and plain.best is not None:
        # (a question its own words answer, not the entries under the answer: "do i need a moroccan
        # partner?" after the costs is the SARL's partners, not a choice of the costs' related entries)
        return plain
    asked = plain.asked if plain is not None else ()
    for entry in (e for e in map(index.get, options) if e is not None and e.subject):
        result = index.search(replace(query, offered=(), related=(), context_subject=entry.subject, context_facet=None))
        best = result.best
        if (result.confident and not result.ambiguous and best is not None and best.entry.subject == entry.subject
                and not kept_for_other_aspect(result, asked)):
            found.setdefault(best.entry.id, result)
    if len(found) == 1:
        return next(iter(found.values()))
    if len(found) > 1:  # asked again: per subject, its entry for the aspect asked, or the option offered
        choices = []
        for result in found.values():
            entry = result.hits[0].entry
            if entry.facet not in result.asked:
                entry = next(e for e in map(index.get, options) if e is not None and e.subject == entry.subject)
            choices.append(entry)
        return Result(hits=[Hit(e, 1.0) for e in choices], confident=True, ambiguous=True, options=choices)
    return None
