"""Amounts and shares as people type them ("600k", "1,2 million", "٦٠٠ ألف", "60 mlyoun santim").

Pure functions used by the plan form. A parse gives either a value in dirhams or a
reason (`negative`, `absurd`, `currency`, `unreadable`) so the form can ask again with
the right example. Moroccans often count in centimes ("50 مليون سنتيم" = 500 000 DH):
an explicit centime word divides by 100.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from assistant.text import fold_latin, normalize_arabic, strip_controls

#: Below or above these a project amount is not plausible and is asked again.
MIN_PROJECT_MAD: Final = 1_000
MAX_PROJECT_MAD: Final = 100_000_000_000

_SCALE_WORDS: Final = (
    # (pattern on folded text, factor); longest alternatives first
    (r"milliards?|mlyar|milyar|مليار|ملايير|bn|billions?", 1_000_000_000),
    (r"millions?|mlyoun|mlyon|melyoun|malyoun|milyoun|mlayn|مليون|ملايين|ملاين|mdh|mdhs|mmad|m|mio", 1_000_000),
    (r"milles?|mille|alf|alaf|ألف|الف|آلاف|الاف|alaaf|k|thousands?|thousand", 1_000),
)
_CENTIMES: Final = re.compile(r"\b(?:santim|santime|centimes?|cts?|سنتيم|سانتيم|سنتيما|franc|frank|ryal|ريال)\b")
_FOREIGN: Final = re.compile(r"(?:€|\$|£|\beur(?:o|os)?\b|\busd\b|\bdollars?\b|\bgbp\b|\bpounds?\b|\bchf\b|يورو|أورو|اورو|دولار|\b(?:oro|ourou|youro)\b)")
_HALF: Final = re.compile(r"(?:\bnos\b|\bnss\b|\bnes\b|\bdemi\b|\bhalf\b|\bنص\b|\bنصف\b)")
_NUMBER: Final = re.compile(r"-?\s?\d+(?:[\s.,\u202f\u00a0']\d{3})*(?:[.,]\d+)?")
_NEGATIVE: Final = re.compile(r"(?:^|\s)(?:-|moins\s|minus\s|ناقص\s)\s?\d")
_ARABIC_INDIC: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


@dataclass(frozen=True)
class Parsed:
    """A value, or why there is none."""

    value: float | None
    problem: str | None = None  # negative | absurd | currency | unreadable

    @property
    def ok(self) -> bool:
        return self.value is not None


#: A Latin word with digits in it: a number with its unit ("600k", "2mdh", "5m") or an
#: Arabizi word whose digits are letters ("3ndi", "ma3reftch", "m3a": 3 = ع, 7 = ح, 9 = ق).
_LATIN_RUN: Final = re.compile(r"[a-z0-9]*[a-z][a-z0-9]*")
_UNIT: Final = re.compile(
    r"\d+(?:" + "|".join(p for p, _ in _SCALE_WORDS) + r"|dh|dhs|mad|dirhams?|e|eur|euros?|usd)?"
)


def _arabizi_digits_out(text: str) -> str:
    """Drop the digits of Arabizi words so that "3ndi 200 mlyoun" reads 200 million, not 3."""
    def mask(match: re.Match[str]) -> str:
        run = match.group(0)
        if not any(ch.isdigit() for ch in run) or _UNIT.fullmatch(run):
            return run
        return re.sub(r"\d", "", run)

    return _LATIN_RUN.sub(mask, text)


def _prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", strip_controls(text or "")).translate(_ARABIC_INDIC)
    text = _arabizi_digits_out(fold_latin(normalize_arabic(text)))
    # Arabic words glued to digits ("600الف") and "600k" / "1.2M"
    text = re.sub(r"(\d)([^\d\s.,'\u202f\u00a0%-])", r"\1 \2", text)
    return text.replace("\u066c", " ").replace("\u066b", ".")


def _number(raw: str) -> float | None:
    """A number written with any grouping: 600 000, 600.000, 600,000, 1,2, 1.5."""
    s = raw.replace("\u202f", " ").replace("\u00a0", " ").replace("'", " ").strip().lstrip("-").strip()
    s = s.replace(" ", "")
    if not s:
        return None
    if "," in s and "." in s:  # 1.200,50 or 1,200.50: the last one is the decimal mark
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif "," in s or "." in s:
        sep = "," if "," in s else "."
        parts = s.split(sep)
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3 and len(parts[0]) <= 3 and parts[0] != "0"):
            s = s.replace(sep, "")  # grouping: 600.000 / 1,200,000
        else:
            s = s.replace(sep, ".")  # decimal: 1,2 / 2.5
    try:
        return float(s)
    except ValueError:
        return None


def _scale_after(text: str, end: int) -> int:
    tail = text[end:end + 24].strip()
    for pattern, factor in _SCALE_WORDS:
        if re.match(rf"(?:{pattern})(?![a-z\u0621-\u064a])", tail):
            return factor
    return 1


def _word_only(text: str) -> float | None:
    """ "un million", "مليون درهم", "nos million", "half a million": a scale word without digits."""
    half = 0.5 if _HALF.search(text) else 1.0
    for pattern, factor in _SCALE_WORDS[:2]:
        if re.search(rf"(?<![a-z\u0621-\u064a])(?:{pattern})(?![a-z\u0621-\u064a])", text) and factor >= 1_000_000:
            if re.fullmatch(r"m", pattern):
                continue
            return half * factor
    return None


def parse_amount(text: str, *, minimum: float = MIN_PROJECT_MAD, maximum: float = MAX_PROJECT_MAD) -> Parsed:
    """The amount in dirhams typed in `text`."""
    prepared = _prepare(text)
    if not prepared.strip():
        return Parsed(None, "unreadable")
    if _NEGATIVE.search(" " + prepared):
        return Parsed(None, "negative")
    match = _NUMBER.search(prepared)
    if match is None:
        value = _word_only(prepared)
        if value is None:
            return Parsed(None, "unreadable")
    else:
        number = _number(match.group(0))
        if number is None:
            return Parsed(None, "unreadable")
        value = number * _scale_after(prepared, match.end())
    if _FOREIGN.search(prepared):
        return Parsed(None, "currency")  # no exchange rate in the knowledge base: ask in dirhams
    if _CENTIMES.search(prepared):
        value /= 100
    if value < 0:
        return Parsed(None, "negative")
    if not minimum <= value <= maximum:
        return Parsed(None, "absurd")
    return Parsed(round(value, 2))


_ALL_WORDS: Final = re.compile(
    r"(?:\btout\b|\btoute?s?\b|\bla totalite\b|\ball\b|\beverything\b|\bthe whole\b|\bkolchi\b|\bkolchy\b|\bkoulchi\b|كلشي|كل شيء|كل شي|الكل|كامل|جميع)"
)
_NONE_WORDS: Final = re.compile(r"(?:^|\s)(?:rien|aucun|aucune|nothing|none|walou|walo|والو|لا شيء|zero|zéro|0)(?:\s|$|%)")
_HALF_SHARE: Final = re.compile(r"(?:\bla moitie\b|\bmoitie\b|\bhalf\b|\bnos\b|\bnss\b|النصف|نص\b|نصف)")
_PERCENT: Final = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:%|pour ?cent|percent|per cent|فالميه|في المايه|بالمايه|في الميه|f lmya|f lmia)")


def parse_share(text: str, total: float | None) -> Parsed:
    """A share in percent of `total`: "25 %", "la moitié", "tout", or an amount ("300k")."""
    prepared = _prepare(text)
    if _NEGATIVE.search(" " + prepared):
        return Parsed(None, "negative")
    if match := _PERCENT.search(prepared):
        value = float(match.group(1).replace(",", "."))
        return Parsed(value) if 0 <= value <= 100 else Parsed(None, "absurd")
    if _ALL_WORDS.search(prepared):
        return Parsed(100.0)
    if _NONE_WORDS.search(" " + prepared.strip() + " "):
        return Parsed(0.0)
    if _HALF_SHARE.search(prepared) and not re.search(r"\d", prepared):
        return Parsed(50.0)
    amount = parse_amount(text, minimum=1, maximum=MAX_PROJECT_MAD)
    if not amount.ok:
        return amount
    if total is None or total <= 0:
        return Parsed(None, "unreadable")
    assert amount.value is not None
    if amount.value > total:
        return Parsed(None, "absurd")
    return Parsed(round(100 * amount.value / total, 2))


_NO_ONE: Final = re.compile(r"(?:^|\s)(?:aucun|aucune|personne|zero|none|nobody|no one|walou|walo|والو|لا احد|حتى واحد|ولا واحد)(?:\s|$)")
#: More stable jobs than this is not a plausible answer for one project.
MAX_JOBS: Final = 1_000_000


def parse_count(text: str, *, maximum: int = MAX_JOBS) -> Parsed:
    """A number of people or jobs ("5", "12 emplois", "٥", "walou" = 0)."""
    prepared = _prepare(text)
    if _NEGATIVE.search(" " + prepared):
        return Parsed(None, "negative")
    match = _NUMBER.search(prepared)
    if match is None:
        return Parsed(0.0) if _NO_ONE.search(" " + prepared.strip() + " ") else Parsed(None, "unreadable")
    value = _number(match.group(0))
    if value is None or not value.is_integer():
        return Parsed(None, "unreadable")
    value *= _scale_after(prepared, match.end()) if _scale_after(prepared, match.end()) == 1_000 else 1
    return Parsed(value) if value <= maximum else Parsed(None, "absurd")
