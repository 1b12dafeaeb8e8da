"""Requests the classifier misreads, read from their words after the NLU (issue #10).

Retraining the classifier has lost held-out conversations before, so these readings correct it
after the fact, whatever intent it gave: asking for one of the unit's people ("can i get an
adviser", read as a follow-up), for help with one's file ("i need help with my case", unsure),
to erase one's data ("wach t9dr tmsa7 ma3lomat dyali?", unsure), or thanking for something
("شكرا على المتابعة", unsure). The words are data (`assistant/words/misreadings.yml`), compared
on the search's terms so that a proclitic glued to a word does not hide it. Pure Python.
"""

from __future__ import annotations

from functools import cache

from assistant.kb.parts import asks_a_question
from assistant.lexicon import contains_phrase, load, raw_entries
from assistant.text import search_terms

WORDS = "misreadings"


@cache
def phrases(key: str) -> tuple[tuple[str, ...], ...]:
    """One list's phrases as the search's terms spell them."""
    return tuple(dict.fromkeys(terms for entry in raw_entries(WORDS, key) if (terms := tuple(search_terms(entry)))))


def has(terms: list[str], key: str) -> bool:
    return any(contains_phrase(terms, phrase) for phrase in phrases(key))


def asks_for_an_adviser(text: str) -> bool:
    """Words asking for one of the unit's people ("un conseiller", "an adviser", "nhder m3a chi
    wa7ed"), never the verb ("vous pouvez me conseiller ?"): a request for a person."""
    return has(search_terms(text), "adviser")


def asks_help_with_own_file(text: str) -> bool:
    """Help asked with one's file or case, and no question asked ("i need help with my file",
    "أحتاج مساعدة بخصوص ملفي"): a request for the unit. With a question ("… mon dossier : quels
    documents ?") the question is answered as before."""
    terms = search_terms(text)
    return has(terms, "help") and has(terms, "own_file") and not asks_a_question(text)


def asks_to_erase_own_data(text: str) -> bool:
    """An erasing verb and one's data ("wach t9dr tmsa7 ma3lomat dyali?", "pls remove my details"):
    a request to erase one's data, question or not."""
    terms = search_terms(text)
    return has(terms, "erase") and has(terms, "own_data")


def thanks_for_something(text: str) -> bool:
    """A message opening with thanks for something and asking nothing ("merci pour le suivi",
    "شكرا على المتابعة", "shukran 3la lmousa3ada"): thanks, not a status request nor a question."""
    if asks_a_question(text):
        return False
    terms = search_terms(text)
    for thanks in sorted(phrases("thanks"), key=len, reverse=True):
        if tuple(terms[:len(thanks)]) == thanks:
            rest = terms[len(thanks):]
            return bool(rest) and any(tuple(rest[:len(f)]) == f for f in phrases("thanks_for"))
    return False


#: The word lists naming what a question read as asking what the assistant can do asks about, one per intent.
CAPABILITY_LISTS = "capability_"


def capability_topic(text: str) -> str | None:
    """The intent of the topic a message names ("c quoi les aides": ask_financing, "what are the fees":
    ask_creation), for a message the classifier reads as asking what the assistant can do; None when it
    names none ("what can you do?") or names several topics' words."""
    terms = search_terms(text)
    found = {key[len(CAPABILITY_LISTS):] for key in load(WORDS) if key.startswith(CAPABILITY_LISTS) and has(terms, key)}
    return found.pop() if len(found) == 1 else None
