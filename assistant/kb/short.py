"""Short answers for phones: the one sentence that answers the precise value asked.

"Quel est le plafond de MDM Invest ?" asks an amount; a 100-word entry answers it in one of
its sentences. For any entry longer than LONG_WORDS, when the question asks a kind of value
(an amount or rate, a duration, a date, a count: `short_answers.yml`), the answer is the first
sentence (or list item) of the entry whose template states a fact of that kind, rendered in
the user's language, and the caller adds a "more details" button. An entry's own `short`
sentences (written for its precise aspects) come first. The sources shown are those behind
the facts of the sentence (`supports`), so a short answer cites what it says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml

from assistant.kb.phrases import Phrase, PhraseTable
from assistant.kb.render import placeholders, render_text
from assistant.kb.schema import Entry
from assistant.kb.sources import Source
from assistant.text import normalize, search_terms

ASKS_FILE: Final = Path(__file__).with_name("short_answers.yml")
#: answers shorter than this (words, in the user's language) are sent whole
LONG_WORDS: Final = 60
DURATION_UNITS: Final = frozenset({"year", "month", "day", "hour", "minute"})
_SENTENCE_END: Final = re.compile(r"(?<=[.!?؟])\s+(?=\S)")
#: French elided "d'" ("combien d'actionnaires"): the search's terms drop it, so the count
#: phrase "combien de" is matched on the text with it written out
_ELIDED_DE: Final = re.compile(r"\b[dD][’']\s*")


@dataclass(frozen=True)
class Short:
    text: str  # the sentence, rendered
    facts: tuple[str, ...]  # the facts it states (to pick the sources behind it)


@lru_cache(maxsize=1)
def _asks() -> tuple[PhraseTable, dict[str, tuple[str, ...]]]:
    data = yaml.safe_load(ASKS_FILE.read_text(encoding="utf-8"))["asks"]
    phrases = [Phrase("ask", kind, str(word)) for kind, spec in data.items() for word in spec["words"]]
    return PhraseTable(phrases), {kind: tuple(spec["facts"]) for kind, spec in data.items()}


def asked_groups(text: str) -> list[tuple[str, ...]]:
    """The kinds of fact each phrase of a question asks for ("combien": an amount or a rate), in
    the order asked (longest phrase wins)."""
    table, kinds = _asks()
    found: list[tuple[str, ...]] = []
    for phrase in table.find(normalize(_ELIDED_DE.sub("de ", text))):
        if kinds[phrase.value] not in found:
            found.append(kinds[phrase.value])
    return found


@lru_cache(maxsize=1)
def quantity_terms() -> frozenset[str]:
    """The search terms of the words asking an amount ("much" of "how much"): a message of these
    alone asks nothing but "how much?"."""
    data = yaml.safe_load(ASKS_FILE.read_text(encoding="utf-8"))["asks"]
    return frozenset(t for word in data["quantity"]["words"] for t in search_terms(normalize(str(word))))


def asked_kinds(text: str) -> list[str]:
    """The kinds of fact a question asks for, in the order asked (longest phrase wins)."""
    return list(dict.fromkeys(kind for group in asked_groups(text) for kind in group))


def fact_kind(fact: Mapping[str, Any]) -> str:
    if "amount" in fact:
        return "amount"
    if "percent" in fact:
        return "percent"
    if "number" in fact:
        return "duration" if fact.get("unit") in DURATION_UNITS else "count"
    if "date" in fact:
        return "date"
    if "year" in fact:
        return "year"
    return "text"


def sentences(template: str) -> list[str]:
    """List items and sentences of an answer template, in order."""
    out: list[str] = []
    for line in template.splitlines():
        line = line.strip().lstrip("•-").strip()
        out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


def _own_short(entry: Entry, text: str, lang: str) -> Short | None:
    asked = f" {' '.join(search_terms(normalize(text)))} "
    raw = entry.raw.get("short") or []
    for i, (words, rendered) in enumerate(entry.short):
        for word in words:
            wanted = " ".join(search_terms(normalize(word)))
            if wanted and f" {wanted} " in asked:
                template = str(raw[i]["text"][lang]) if i < len(raw) else ""
                return Short(rendered[lang], tuple(sorted(placeholders(template))))
    return None


def _own_short_of_kind(entry: Entry, kind: str, lang: str) -> Short | None:
    """The entry's own short sentence stating a fact of the kind asked, when none was named:
    "ch7al dyal lflouss khass bach nftah sarl" asks an amount, and the SARL's written sentence
    ("no minimum capital since 2011; above MAD 100,000…") says more than the text's first
    sentence with an amount, which left out that there is no minimum."""
    raw = entry.raw.get("short") or []
    for i, (_, rendered) in enumerate(entry.short):
        template = str(raw[i]["text"][lang]) if i < len(raw) else ""
        names = [n for n in placeholders(template) if n in entry.facts]
        if any(fact_kind(entry.facts[n]) == kind for n in names):
            return Short(rendered[lang], tuple(sorted(names)))
    return None


def short_answer(entry: Entry, text: str, lang: str) -> Short | None:
    """The sentence answering the precise value asked, or None (send the whole answer)."""
    own = _own_short(entry, text, lang)
    if own or len(entry.answer[lang].split()) < LONG_WORDS:
        return own
    template = str((entry.raw.get("answer") or {}).get(lang) or "")
    for group in asked_groups(text):
        for kind in group:
            if (written := _own_short_of_kind(entry, kind, lang)) is not None:
                return written
        # the first sentence stating a fact of the kinds one phrase asks: "how much tax does an
        # auto-entrepreneur pay?" is its rates' sentence, before the withholding's threshold amount
        for sentence in sentences(template):
            names = [n for n in placeholders(sentence) if n in entry.facts]
            if any(fact_kind(entry.facts[n]) in group for n in names):
                return Short(render_text(sentence, entry.facts, lang), tuple(sorted(names)))
    return None


def sources_behind(sources: Sequence[Source], facts: Sequence[str]) -> list[Source]:
    """The sources behind the stated facts: those supporting one of them, and those that
    support the whole text; all sources when none is tied to a fact."""
    if not facts:
        return list(sources)
    tied = [s for s in sources if s.whole or set(s.supports) & set(facts)]
    return tied or list(sources)
