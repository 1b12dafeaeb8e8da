"""Text normalisation shared by NLU featurisation, entity patterns and search.

Arabic is normalised the way Arabic IR systems do (alef variants, alef maqsura, ta
marbuta, diacritics, tatweel, Arabic-Indic digits) so that "الشركة", "الشركه" and
"الشّركة" are one feature. Latin text is lower-cased and accent-folded, since users
type "creer" as often as "créer". Pure Python: importable from both environments.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Final

import yaml

_DIACRITICS: Final = re.compile("[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]")
_TATWEEL: Final = "\u0640"
_ARABIC_MAP: Final = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
        "ى": "ي", "ی": "ي", "ئ": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ک": "ك", "ڭ": "ك", "گ": "ك",
        "ڤ": "ف",
        "،": ",", "؛": ";", "؟": "?", "٪": "%",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
        "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
        "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4",
        "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
    }
)
ARABIC_LETTER: Final = re.compile("[\u0621-\u064A\u0671-\u06D3\u06FA-\u06FF]")
LATIN_LETTER: Final = re.compile("[A-Za-zÀ-ÖØ-öø-ÿŒœ]")
_REPEATS: Final = re.compile(r"(\w)\1{2,}")
_CONTROL: Final = re.compile("[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]")


def normalize_arabic(text: str) -> str:
    """Normalise the Arabic letters of `text` (other scripts untouched)."""
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    return text.translate(_ARABIC_MAP)


def fold_latin(text: str) -> str:
    """Lower-case and strip accents from Latin letters ("Créer" -> "creer")."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch) or ARABIC_LETTER.match(ch))
    return folded.replace("œ", "oe").replace("æ", "ae").replace("’", "'")


def strip_controls(text: str) -> str:
    """Remove control and bidi-override characters users paste by accident."""
    return _CONTROL.sub(" ", text)


def normalize(text: str) -> str:
    """Full normalisation for features and matching (keeps word boundaries)."""
    text = unicodedata.normalize("NFKC", strip_controls(text))
    text = fold_latin(normalize_arabic(text))
    return _REPEATS.sub(r"\1", text)


_WORD: Final = re.compile(r"[0-9a-z\u0621-\u064A\u0671-\u06D3]+(?:['-][0-9a-z]+)*")
_AR_PREFIXES: Final = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل")
_FR_ELISION: Final = re.compile(r"^(?:l|d|qu|j|n|s|c|m|t)'")


#: Words whose first letter only looks like a proclitic ("بغيت", "بلجيكا"): `words/stems.yml`.
_WHOLE_WORDS: Final = Path(__file__).parent / "words" / "stems.yml"


@cache
def whole_words() -> frozenset[str]:
    """Arabic-script words the stemmer keeps whole (normalised): `assistant/words/stems.yml`."""
    data = yaml.safe_load(_WHOLE_WORDS.read_text(encoding="utf-8")) or {}
    return frozenset(normalize(word) for group in (data.get("whole") or {}).values() for word in group)


def stem(token: str) -> str:
    """Light stemming: Arabic proclitics, French elisions, Latin plural -s
    ("بالشركه" -> "شركه", "l'entreprise" -> "entreprise", "regions" -> "region")."""
    if ARABIC_LETTER.match(token):
        # up to two proclitics ("فوجده" -> "وجده" -> "جده"), so a word and its prefixed
        # form always meet, whatever their first letter; a word whose first letter is its own
        # stays whole ("فبلجيكا" -> "بلجيكا", "وبغيت" -> "بغيت": `whole_words`)
        for _ in range(2):
            if token in whole_words():
                break
            for prefix in _AR_PREFIXES:
                if token.startswith(prefix) and len(token) - len(prefix) >= 3:
                    token = token[len(prefix):]
                    break
            else:
                break
        return token
    token = _FR_ELISION.sub("", token)
    if len(token) > 4 and token.endswith("s") and not token.endswith("ss") and not token[-2].isdigit():
        return token[:-1]
    return token


#: A Latin word typed straight after an Arabic proclitic ("وSA؟", "فCasa", "للCNSS"): two words.
_GLUED_LATIN: Final = re.compile(
    "^([\u0621-\u064A\u0671-\u06D3\u064B-\u065F\u0640]{1,4}?)([A-Za-z\u00C0-\u00FF][^\u0600-\u06FF]*)$"
)


def _is_proclitic(letters: str) -> bool:
    """One proclitic, or a conjunction before one ("ولل", "فب")."""
    return letters in _AR_PREFIXES or (letters[:1] in ("و", "ف") and letters[1:] in _AR_PREFIXES)


def glued_parts(token: str) -> list[str]:
    """A token split where a Latin word follows an Arabic proclitic glued to it ("وSA" -> "و",
    "SA"), so the name meets its unglued spelling; any other token whole. Works on raw or
    normalised text (the parts are substrings of `token`)."""
    match = _GLUED_LATIN.match(token)
    if match and _is_proclitic(normalize_arabic(match.group(1))):
        return [match.group(1), match.group(2)]
    return [token]


def words(text: str) -> list[str]:
    """Normalised word tokens of `text` (numbers kept, punctuation dropped)."""
    return [part for word in _WORD.findall(normalize(text)) for part in glued_parts(word)]


def search_terms(text: str) -> list[str]:
    """Normalised, lightly stemmed terms for full-text ranking and pattern matching."""
    return [stem(w) for w in words(text)]
