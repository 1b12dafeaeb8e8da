"""What kind of message that is not a question in words a message is (issue #10, "bad input").

An emoji alone, a lone "?", a number, an amount or a date, a phone number or an e-mail, a link,
a reference that is not one of ours, a message in a script the assistant does not read, keyboard
mash: `shape` names it, or returns None for a message in words (the NLU and the search read those).
`other_language` tells a message in a Latin-script language the assistant does not speak (Spanish,
Italian, German, Dutch, Portuguese); it is asked only once the search has answered nothing.
The replies are chosen by `assistant/actions/bad_input.py`; the word and emoji lists are data
(`assistant/words/bad_input.yml`). Pure functions, both environments.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from functools import cache
from typing import Final

from assistant.contract import CASE_REFERENCE_TYPED
from assistant.lexicon import load, raw_entries
from assistant.text import normalize


class Shape(str, Enum):
    POSITIVE = "emoji_positive"  # 👍 👌 🙏
    NEGATIVE = "emoji_negative"  # 👎 😞 😡
    EMOJI = "emoji"  # 🤔 👀: neither
    GREETING = "emoji_greeting"  # 👋: hello
    EMPTY = "empty"  # "?", "??", "...", "؟"
    NUMBER = "number"  # "12345", "150 000 DH", "20000€", "15/03/2026"
    CONTACT = "contact"  # an e-mail address or a phone number
    LINK = "link"  # https://…, www.…, cri-invest.ma
    REFERENCE = "reference"  # REF-2026-XYZ, DOS/2025/4481 (not MRE-YYYY-NNNNNN)
    OUR_REFERENCE = "our_reference"  # MRE-2026-000123: the case-status action reads it
    OTHER_SCRIPT = "other_script"  # Привет, 我想, שלום
    MASH = "mash"  # asdfgh, jjjjjjj

#: Characters that only dress an emoji: skin tones, variation selectors, the zero-width joiner, tags.
_EMOJI_DRESS: Final = re.compile("[\U0001F3FB-\U0001F3FF\uFE0E\uFE0F\u200D\U000E0020-\U000E007F\u20E3]")
_ARABIC_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
EMAIL_RE: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
URL_RE: Final = re.compile(
    r"(?:https?://|www\.)\S+|(?<![\w@.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:ma|com|fr|org|net|gov|be|nl|es|it|de|uk|ca|"
    r"eu|info|io)(?:/\S*)?(?![\w.-])",
    re.IGNORECASE,
)
_PHONE_RE: Final = re.compile(r"(?:\+|00|0)\d[\d\s().-]*\d")
_DATE_RE: Final = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}")
_REFERENCE_RE: Final = re.compile(
    r"(?=[^\s]*[A-Za-z])(?=[^\s]*\d{3})(?:[A-Za-z0-9]+(?:[-/_.#:][A-Za-z0-9]+)+|[A-Za-z]{1,4}\d{4,}|\d{4,}[A-Za-z]{1,3})"
)
#: Shares of the message's letters: above this in scripts other than Latin and Arabic, another script.
OTHER_SCRIPT_SHARE: Final = 0.6
#: Keyboard mash: a run of this many letters of one keyboard row (or one letter repeated).
MASH_LENGTH: Final = 5
#: Another language: this many distinct words of its list, and this share of the message's words.
OTHER_LANGUAGE_WORDS: Final = 2
OTHER_LANGUAGE_SHARE: Final = 0.4


@cache
def _emoji(key: str) -> frozenset[str]:
    return frozenset(_EMOJI_DRESS.sub("", e) for e in raw_entries("bad_input", key))


@cache
def _words(key: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in raw_entries("bad_input", key))


def _is_emoji(ch: str) -> bool:
    return unicodedata.category(ch) == "So" or ch in _emoji("emoji_positive") | _emoji("emoji_negative")


def emoji_shape(text: str) -> Shape | None:
    """An emoji alone (or a few, with punctuation): a greeting (a waving hand), positive, negative or
    neither; None otherwise."""
    chars = [ch for ch in _EMOJI_DRESS.sub("", text) if not ch.isspace()]
    emoji = [ch for ch in chars if _is_emoji(ch)]
    if not emoji or any(not _is_emoji(ch) and not unicodedata.category(ch).startswith("P") for ch in chars):
        return None
    if any(ch in _emoji("emoji_greeting") for ch in emoji):
        return Shape.GREETING
    positive = any(ch in _emoji("emoji_positive") for ch in emoji)
    negative = any(ch in _emoji("emoji_negative") for ch in emoji)
    if positive != negative:
        return Shape.POSITIVE if positive else Shape.NEGATIVE
    return Shape.EMOJI


def _letters(text: str) -> list[str]:
    return [ch for ch in text if ch.isalpha()]


def _rest_says_nothing(rest: str) -> bool:
    """What is left around an address, a number or a link says nothing more: no question mark,
    three words at most, of which none is a question ("mon mail :", "voici", "appelez-moi")."""
    return "?" not in rest and "؟" not in rest and len(re.findall(r"\w+", rest)) <= 3


def _only_number(text: str) -> bool:
    """Digits, with their separators and units ("150 000 DH", "20000€", "60 مليون سنتيم", "30 %")."""
    tokens = re.findall(r"\d[\d\s.,'\u00a0\u202f]*(?:k\b|m\b)?|[^\W\d_]+|[€$%]", text.translate(_ARABIC_DIGITS), re.IGNORECASE)
    rest = re.sub(r"[\d\s.,'\u00a0\u202f€$%+:/-]", "", re.sub(r"[^\W\d_]+", "", text.translate(_ARABIC_DIGITS)))
    units = _words("units")
    has_digit = any(t[0].isdigit() for t in tokens)
    return has_digit and not rest and all(t[0].isdigit() or normalize(t) in units or t in "€$%" for t in tokens)


def is_phone(text: str) -> bool:
    """A phone number alone: a leading +, 00 or 0 and nine digits or more."""
    stripped = text.translate(_ARABIC_DIGITS).strip()
    return bool(_PHONE_RE.fullmatch(stripped)) and sum(ch.isdigit() for ch in stripped) >= 9


def _reference(text: str) -> bool:
    tokens = text.split()
    found = [t for t in tokens if _REFERENCE_RE.fullmatch(t.strip(".,;:!()"))]
    if len(found) != 1 or _DATE_RE.fullmatch(found[0]):
        return False
    rest = normalize(" ".join(t for t in tokens if t not in found)).strip(" :.,-")
    return not rest or rest in _words("reference_words")


def _other_script(text: str) -> bool:
    letters = _letters(text)
    if not letters:
        return False
    foreign = [ch for ch in letters if not unicodedata.name(ch, "").startswith(("LATIN", "ARABIC"))]
    return len(foreign) / len(letters) > OTHER_SCRIPT_SHARE


def is_mash(text: str) -> bool:
    """Keyboard mash: one "word" of five letters or more run along one keyboard row ("asdfgh",
    "qsdfghjk", "azertyuiop", either way) or of one or two letters repeated ("jjjjjjj")."""
    tokens = text.lower().split()
    if len(tokens) != 1 or not tokens[0].isascii() or not tokens[0].isalpha() or len(tokens[0]) < MASH_LENGTH:
        return False
    token = tokens[0]
    rows = [str(row) for row in load("bad_input")["keyboard_rows"]]
    return len(set(token)) <= 2 or any(token in row or token in row[::-1] for row in rows)


def shape(text: str) -> Shape | None:
    """The kind of message not in words `text` is, or None when it is made of words."""
    text = text.strip()
    if not text or text.startswith("/"):  # a button's payload is no typed message
        return None
    if (emoji := emoji_shape(text)) is not None:
        return emoji
    if all(unicodedata.category(ch)[0] in "PS" or ch.isspace() for ch in text):
        return Shape.EMPTY
    if CASE_REFERENCE_TYPED.search(text) and _rest_says_nothing(CASE_REFERENCE_TYPED.sub(" ", text)):
        return Shape.OUR_REFERENCE
    if EMAIL_RE.search(text) and _rest_says_nothing(EMAIL_RE.sub(" ", text)):
        return Shape.CONTACT
    if is_phone(text):
        return Shape.CONTACT
    if URL_RE.search(text) and _rest_says_nothing(URL_RE.sub(" ", text)):
        return Shape.LINK
    if _DATE_RE.fullmatch(text.translate(_ARABIC_DIGITS)) or _only_number(text):
        return Shape.NUMBER
    if _reference(text):
        return Shape.REFERENCE
    if _other_script(text):
        return Shape.OTHER_SCRIPT
    if is_mash(text):
        return Shape.MASH
    return None


def other_language(text: str) -> bool:
    """A message in a Latin-script language the assistant does not speak ("hola quiero abrir una
    empresa", "vorrei aprire una azienda", "ich möchte eine Firma gründen")."""
    tokens = re.findall(r"[^\W\d_]+", normalize(text))
    known = _words("other_languages")
    hits = {t for t in tokens if t in known}
    return len(hits) >= OTHER_LANGUAGE_WORDS and sum(t in known for t in tokens) >= OTHER_LANGUAGE_SHARE * len(tokens)
