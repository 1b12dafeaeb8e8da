"""A button's title typed is the button pressed (#10): the pure matching (no Rasa, no I/O).

People type what a button says instead of pressing it (Twilio shows buttons as typed options;
on a phone typing is often quicker): "Financing", "financements", "التمويل", "confirmer",
"😊 tres satisfaite". A typed text chooses a button when it is that button's title up to:
case and accents, Arabic spelling (alef, ta marbuta, diacritics: `assistant.text.normalize`),
spaces, punctuation and emoji, light stemming (Arabic article and proclitics, French elision,
plural -s: `assistant.text.search_terms`), an inclusive "(e)", an option number the title
starts with ("1. Certificat négatif"), and small typos: each word one edit away or, in Latin
letters, with the same consonants, under the knowledge search's own rules
(`assistant.kb.spelling`; short words must be exact, so "Non" never becomes "Nom").

Exact matches are tried first, typos only when nothing matches exactly. When the text
matches buttons with different payloads, nothing is chosen: an ambiguous text is read as
typed. Numbers ("2", "٢") pick the second option only where the channel showed the options
as a numbered menu; that is for the caller to say (`assistant.typed_buttons`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from assistant.channels.formatting import parse_choice
from assistant.kb.others import asks_for_other, placed_option
from assistant.kb.spelling import MIN_ARABIC, MIN_LATIN, MIN_SKELETON, deletes, skeleton
from assistant.lexicon import entries
from assistant.text import ARABIC_LETTER, normalize, search_terms

#: Inclusive writing ("satisfait(e)", "associé(e)s") and a leading option number ("2. ", "2) ").
_INCLUSIVE: Final = re.compile(r"(?<=\w)\((?:e|es|s|ne|le)\)", re.IGNORECASE)
_LEADING_NUMBER: Final = re.compile(r"^\s*\d{1,3}\s*[.)\-–]\s*")
_JOINERS: Final = re.compile(r"[-_/–—]+")  # "step-by-step" is "step by step"
_ELISION: Final = re.compile(r"(?i)\b([a-z]['’])(?=\w)")  # "l'option 2" is "l' option 2"
_NUMBER_SIGN: Final = re.compile(r"(?i)\bn[°º]|[#°º]|(?<=[^\W\d])(?=\d)")  # "n°2", "#2", "option2"


def terms(text: str) -> tuple[str, ...]:
    """The words of a title or of a typed text, normalised and lightly stemmed."""
    return tuple(search_terms(_JOINERS.sub(" ", _INCLUSIVE.sub("", text))))


def title_keys(title: str) -> set[tuple[str, ...]]:
    """What a title can be typed as: its terms, and without its option number ("1. Étape")."""
    keys = {terms(title)}
    if _LEADING_NUMBER.match(title):
        keys.add(terms(_LEADING_NUMBER.sub("", title, count=1)))
    return {key for key in keys if key}


def _long_enough(term: str) -> bool:
    return not any(ch.isdigit() for ch in term) and len(term) >= (
        MIN_ARABIC if ARABIC_LETTER.match(term) else MIN_LATIN)


def near(typed: str, title: str) -> bool:
    """Whether a typed word is a title's word or a small typo of it (one edit, or in Latin
    letters the same consonant skeleton), under the knowledge search's spelling rules."""
    if typed == title:
        return True
    if not (_long_enough(typed) and _long_enough(title)) or typed[0] != title[0]:
        return False
    if abs(len(typed) - len(title)) <= 1 and (
        typed in deletes(title) or title in deletes(typed) or deletes(typed) & deletes(title)
    ):
        return True
    latin = typed.isascii() and title.isascii()
    return latin and len(skeleton(title)) >= MIN_SKELETON and skeleton(typed) == skeleton(title)


def _fuzzy(typed: tuple[str, ...], key: tuple[str, ...]) -> bool:
    return len(typed) == len(key) and all(near(t, k) for t, k in zip(typed, key, strict=True))


def buttons_of(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(title, payload) of a bot message's buttons (or quick replies); a missing payload is its title."""
    found = []
    for button in data.get("buttons") or data.get("quick_replies") or []:
        if not isinstance(button, Mapping):
            continue
        title = " ".join(str(button.get("title") or "").split())
        payload = str(button.get("payload") or title)
        if title and payload:
            found.append((title, payload))
    return found


def chosen_payload(text: str, buttons: Iterable[tuple[str, str]]) -> str | None:
    """The payload of the one button whose title `text` is, or None (no match, or ambiguous)."""
    typed = terms(text)
    if not typed:
        return None
    keyed = [(key, payload) for title, payload in buttons for key in title_keys(title)]
    for matches in (lambda key: key == typed, lambda key: _fuzzy(typed, key)):
        payloads = {payload for key, payload in keyed if matches(key)}
        if payloads:
            return payloads.pop() if len(payloads) == 1 else None
    return None


def placed_choice(text: str, options: Sequence[tuple[str, str]]) -> str | None:
    """The payload of the option a text names by its place and nothing else ("the second one",
    "la deuxième", "lwla": `assistant.kb.others.placed_option`), on any channel; not a text that
    may ask for "the other one" ("التاني" after an answer: the search reads it in its context)."""
    if asks_for_other(text):
        return None
    return placed_option(text, [payload for _, payload in options])


def numbered_choice(text: str, options: Sequence[tuple[str, str]]) -> str | None:
    """The payload of the option whose number (1-based; "2", "2.", "2)", "٢", "option 2", "رقم 2":
    `number_fillers` in assistant/words/conversation.yml) was typed, or None."""
    index = parse_choice(_number_alone(text), len(options))
    return None if index is None else options[index][1]


def _number_alone(text: str) -> str:
    """The text without the words that may come with an option's number ("option 2" -> "2")."""
    fillers = entries("conversation", "number_fillers")
    spaced = _NUMBER_SIGN.sub(" ", text)
    # (an elided article is a word of its own: "l'option 2")
    return " ".join(w for w in _ELISION.sub(r"\1 ", spaced).split() if normalize(w) not in fillers and w.strip("!?.,؟،") != "")
