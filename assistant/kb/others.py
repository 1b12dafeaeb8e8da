"""Options of a clarifying question named by reference, not by their words: by their place right
after the question ("the second one", "la deuxième", "التاني", "lwla"), or as the other one after
choosing one ("et l'autre ?", "and the other one?", "w lakhor?", "والأخرى؟": the option(s) not chosen).

The words are data (`assistant/words/conversation.yml`: `first_option`… `last_option`, `others`,
`other_fillers`); the options come from the conversation (the action reads its last clarifying
question). Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache
from typing import Final

from assistant.kb.query import Hit, Result
from assistant.kb.schema import Entry
from assistant.kb.terms import STOPWORDS
from assistant.lexicon import raw_entries
from assistant.text import search_terms


@cache
def _terms(key: str) -> frozenset[str]:
    return frozenset(t for entry in raw_entries("conversation", key) for t in search_terms(entry))


#: The lists naming an option by its place, in order (and `last_option`: the last one offered).
PLACES: Final = ("first_option", "second_option", "third_option")


def placed_option(text: str, offered: Sequence[str]) -> str | None:
    """The option (an entry id of `offered`, in the order offered) a message names by its place
    and nothing else ("the second one", "la 1ère", "التاني"), or None."""
    words = set(search_terms(text)) - STOPWORDS - _terms("other_fillers")
    places = [i for i, key in enumerate(PLACES) if words and words <= _terms(key)]
    if words and words <= _terms("last_option"):
        places.append(len(offered) - 1)
    return offered[places[0]] if len(places) == 1 and 0 <= places[0] < len(offered) else None


def asks_for_other(text: str) -> bool:
    """Whether a message asks only for "the other one" (its words: `others`, with at most
    `other_fillers` and function words beside them)."""
    terms = set(search_terms(text)) - STOPWORDS
    others = _terms("others")
    return bool(terms & others) and terms <= others | _terms("other_fillers")


#: A message naming another option by its own words has at most this many words.
OTHER_TERMS: Final = 2


def named_other(alternatives: Sequence[Entry], terms: Sequence[str], terms_of: Callable[[Entry], Mapping[str, int]],
                answered: Sequence[Entry]) -> Entry | None:
    """After one option was answered, a short message naming another option by words of its own
    ("et le fonds ?" after the foundation, the Hassan II fund and foundation offered): that option,
    when it alone holds every word and the answered subject's entries hold none (`answered`)."""
    unique = set(terms)
    if not unique or len(unique) > OTHER_TERMS:
        return None
    holding = [e for e in alternatives if unique <= terms_of(e).keys()]
    if len(holding) != 1 or any(t in terms_of(e) for e in answered for t in unique):
        return None
    return holding[0]


def named_option(offered: Sequence[str], by_id: Mapping[str, Entry], terms: Sequence[str],
                 names: Mapping[str, Collection[str]]) -> Entry | None:
    """Right after a clarifying question (`offered`: its options' ids), a short message whose every
    word is in the names (titles, synonyms: `names`, by id) of one option only ("المحمدية" after the two
    foundations, "mohammedia", "the mohammedia one": `other_fillers` aside): that option, even when a
    word is also a place's name (Mohammedia, the city) or names no subject."""
    unique = set(terms) - _terms("other_fillers")
    if not unique or len(unique) > OTHER_TERMS:
        return None
    holding = [by_id[i] for i in offered if i in by_id and unique <= set(names.get(i, ()))]
    return holding[0] if len(holding) == 1 else None


def chosen_entry(entry: Entry) -> Result:
    """The answer to an option chosen (pressed, or named by its place)."""
    return Result([Hit(entry, 100.0, ("chosen",))], confident=True, subject=entry.subject, facet=entry.facet)


def other_options(entries: Sequence[Entry]) -> Result:
    """The answer to "the other one": the option not chosen, or a clarifying question between
    the options not chosen when there are several."""
    hits = [Hit(entry, 100.0, ("other",)) for entry in entries]
    if len(entries) == 1:
        return Result(hits, confident=True, subject=entries[0].subject, facet=entries[0].facet)
    return Result(hits, confident=True, ambiguous=len(entries) > 1, subject=None, options=list(entries),
                  asked=tuple(sorted({entry.facet for entry in entries})))
