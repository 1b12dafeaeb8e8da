"""A Darija or Arabic sentence naming a thing with the French word in Latin letters ("واش نمشي للnotaire ولا
للCRI باش نكري الشركة", "بغيت نجيب les machines ديالي"), read also with that word in the Arabic letters Darija
writes it with (`assistant/words/arabic_letters.yml`): the entries' Darija names are written so ("نمشي للنوطير",
"الماكينات"), and the mixed phrase meets neither script's names. Only for the subjects a message names
(reading.py `subjects_in`); its words are searched as typed. Pure Python: both environments.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Final

from assistant.lexicon import load
from assistant.text import ARABIC_LETTER, normalize, stem, words

#: Arabic proclitics split from a Latin word glued to them (text.glued_parts), and the article each writes
#: before an Arabic-letter word ("لل" + "نوطير"; "ف" + "الماكينات" -> "فالماكينات").
_WITH_ARTICLE: Final = ("وال", "فال", "بال", "كال", "دال", "لل", "ال")
#: A French article elided before the word ("l'assurance"): dropped with it.
_ELIDED: Final = re.compile(r"^(?:l|d)'")
_BEFORE_ARTICLE: Final = {"و": "وال", "ف": "فال", "ب": "بال", "ك": "كال", "د": "دال", "ل": "لل"}


@cache
def spellings() -> dict[str, tuple[str, ...]]:
    """The French words (normalised, and as the search stems them: "machines" -> "machine") and their
    Arabic-letter spellings (normalised)."""
    table: dict[str, tuple[str, ...]] = {}
    for word, forms in load("arabic_letters")["spellings"].items():
        for key in (normalize(word), stem(normalize(word))):
            table[key] = tuple(dict.fromkeys([*table.get(key, ()), *(normalize(s) for s in forms)]))
    return table


@cache
def articles() -> frozenset[str]:
    return frozenset(normalize(a) for a in load("arabic_letters")["articles"])


def borrowed(tokens: list[str], i: int) -> bool:
    """Whether the Latin word at `i` stands alone between Arabic words, after an article or none: a word the
    Darija sentence borrows ("نجيب les machines ديالي"), not part of a French phrase ("carte de séjour", "le
    capital minimum", "registre de commerce", whose French names read them)."""
    before = i - 1
    while before >= 0 and tokens[before] in articles():
        before -= 1
    after = i + 1
    return (before < 0 or bool(ARABIC_LETTER.match(tokens[before]))) and (
        after >= len(tokens) or bool(ARABIC_LETTER.match(tokens[after])))


def arabic_spelled(text: str) -> list[str]:
    """The message's readings with its borrowed French words in Arabic letters (one per spelling), when it is
    written in Arabic script and holds such a word in Latin letters, alone between Arabic words (`borrowed`); none
    otherwise (a French message stays as typed: "c'est quoi le notaire" names what its words name)."""
    tokens = [_ELIDED.sub("", t) if _ELIDED.sub("", t) in spellings() else t for t in words(text)]
    if not any(ARABIC_LETTER.match(t) for t in tokens):
        return []
    alone = {i for i, t in enumerate(tokens) if t in spellings() and borrowed(tokens, i)}
    if not alone:
        return []
    readings = []
    for choice in range(max(len(spellings()[tokens[i]]) for i in alone)):
        out: list[str] = []
        for i, token in enumerate(tokens):
            forms = spellings().get(token) if i in alone else None
            if forms is None:
                out.append(token)
                continue
            while out and out[-1] in articles():
                out.pop()  # ("les machines": Darija's article replaces the French one)
            form = forms[min(choice, len(forms) - 1)]
            if out and out[-1] in _WITH_ARTICLE:
                out[-1] += form
            elif out and out[-1] in _BEFORE_ARTICLE:
                out[-1] = _BEFORE_ARTICLE[out[-1]] + form
            else:
                out.append("ال" + form)
        readings.append(" ".join(out))
    return readings
