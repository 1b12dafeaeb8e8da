"""A hyphenated name typed with spaces: "auto entrepreneur", "expert comptable", "self employed"
are the subjects' "auto-entrepreneur", "expert-comptable", "self-employed". The entries index the
hyphenated name as one term (every entry of the auto-entrepreneur holds it), the spaced one only
where a keyword spells it so (a few of its entries): read as typed, the question would weigh the
entries by how their keywords are spelt ("ch7al kaykhelles lauto entreprenneur dyal la cotisation
sociale?" was its tax, not its social cover). Only the names of the subjects (their synonyms'
hyphenated words): other hyphenated words are written both ways by the entries ("set up" is a
word of creating, "set-up" of an answer)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assistant.text import search_terms


def hyphenated_names(names: Iterable[str]) -> dict[tuple[str, ...], str]:
    """Each hyphenated term of `names` made of words of letters, by its words ("auto", "entrepreneur")."""
    out: dict[tuple[str, ...], str] = {}
    for name in names:
        for term in search_terms(name):
            parts = tuple(term.split("-"))
            if len(parts) > 1 and all(len(p) > 1 and p.isalpha() for p in parts):
                out.setdefault(parts, term)
    return out


def joined(terms: Sequence[str], compounds: dict[tuple[str, ...], str]) -> list[str]:
    """`terms` with each run of words spelling a compound of `compounds` as the compound."""
    if not compounds:
        return list(terms)
    longest = max(map(len, compounds))
    out: list[str] = []
    i = 0
    while i < len(terms):
        for size in range(min(longest, len(terms) - i), 1, -1):
            if (found := compounds.get(tuple(terms[i:i + size]))) is not None:
                out.append(found)
                i += size
                break
        else:
            out.append(terms[i])
            i += 1
    return out
