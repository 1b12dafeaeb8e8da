"""A follow-up naming another subject in its own words, not by a name the vocabulary registers
(so no NLU entity): "et pour le compte bancaire ?" after the SARL created from abroad asks the
company's bank account, not the SARL's capital whose answer mentions a blocked bank account. The
conversation's subject then gives way to the one whose name the words make up. Pure Python.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from assistant.kb.schema import Entry
from assistant.kb.terms import content_terms

#: A name counts when the follow-up's words make up at least this share of its words ("compte
#: bancaire" of "compte bancaire de la société"), not one word of a long phrase ("ndir" of a
#: sentence-like synonym).
NAME_SHARE = 0.5


def subject_names(entries: Iterable[Entry]) -> dict[str, list[frozenset[str]]]:
    """Each subject's names as sets of content terms: its entries' titles, keywords and synonyms,
    in every variety (Darija and Arabizi too: "lbanka")."""
    names: dict[str, list[frozenset[str]]] = {}
    for entry in entries:
        if not entry.subject:
            continue
        texts = [*entry.title.values(), *(w for words in entry.keywords.values() for w in words),
                 *(w for words in entry.synonyms.values() for w in words)]
        names.setdefault(entry.subject, []).extend(t for text in texts if (t := frozenset(content_terms(text))))
    return names


def renamed_subject(own: Collection[str], context: str | None, names: Mapping[str, list[frozenset[str]]],
                    topics: Mapping[str, set[str]], near: Collection[str]) -> str | None:
    """The subject a follow-up's own words (`own`: naming neither a registered subject nor an aspect)
    name, other than the conversation's (`context`): two words or more (one word alone is often
    a name of something else too: "prend" of "notaire prend", "much" of "how much"), making up at
    least half of one of its names, or several of its one-word names ("w l compte f lbanka?": "compte", "lbanka"),
    one of them at least in no name of the conversation's subject ("bancaire" is in none of the
    SARL's; "compte" is, in "compte bloqué"). When several subjects' names hold them ("bank account":
    the company's, a personal account in foreign currency), the one of the conversation's topics
    (`near`: the topics of creating a company when the conversation is about creating) answers; none
    when still several, or none. Places are no subject a follow-up moves to."""
    words = frozenset(own)
    if len(words) < 2 or not words - frozenset().union(*names.get(context or "", [])):
        return None
    found = [subject for subject, named in names.items()
             if subject != context and not subject.startswith("region:") and (
                 any(words <= name and len(words) >= max(2, NAME_SHARE * len(name)) for name in named)
                 or (len(words) > 1 and all(frozenset({w}) in named for w in words)))]
    if len(found) > 1:
        found = [s for s in found if topics.get(s, set()) & set(near)]
    return found[0] if len(found) == 1 else None
