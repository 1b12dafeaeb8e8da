"""Trilingual rendering of knowledge-base facts: numbers, amounts, counts, dates.

A fact (`{amount: 100000, currency: MAD}`) is written once in an entry and rendered
here in French, Arabic and English, with each language's notation and grammar
(Arabic number agreement, Moroccan month names). `numbers_in` reads the numbers
back, so validation can check that the three texts state the same ones.
Pure Python: used by the loader, the action server and the NLU component alike.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections import Counter
from collections.abc import Mapping
from typing import Any, Final

_MONTHS: Final = {
    "fr": [
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ],
    "en": [
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ],
    # Month names as used in Morocco.
    "ar": [
        "يناير", "فبراير", "مارس", "أبريل", "ماي", "يونيو",
        "يوليوز", "غشت", "شتنبر", "أكتوبر", "نونبر", "دجنبر",
    ],
}

# unit -> fr (singular, plural, gender) / en (singular, plural) /
#         ar (genitive singular, accusative singular, dual, plural, gender)
UNITS: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "day": {"fr": ("jour", "jours", "m"), "en": ("day", "days"), "ar": ("يوم", "يوما", "يومان", "أيام", "m")},
    "week": {"fr": ("semaine", "semaines", "f"), "en": ("week", "weeks"), "ar": ("أسبوع", "أسبوعا", "أسبوعان", "أسابيع", "m")},
    "month": {"fr": ("mois", "mois", "m"), "en": ("month", "months"), "ar": ("شهر", "شهرا", "شهران", "أشهر", "m")},
    "year": {"fr": ("an", "ans", "m"), "en": ("year", "years"), "ar": ("سنة", "سنة", "سنتان", "سنوات", "f")},
    "hour": {"fr": ("heure", "heures", "f"), "en": ("hour", "hours"), "ar": ("ساعة", "ساعة", "ساعتان", "ساعات", "f")},
    "minute": {"fr": ("minute", "minutes", "f"), "en": ("minute", "minutes"), "ar": ("دقيقة", "دقيقة", "دقيقتان", "دقائق", "f")},
    "person": {"fr": ("personne", "personnes", "f"), "en": ("person", "people"), "ar": ("شخص", "شخصا", "شخصان", "أشخاص", "m")},
    "associate": {"fr": ("associé", "associés", "m"), "en": ("partner", "partners"), "ar": ("شريك", "شريكا", "شريكان", "شركاء", "m")},
    "shareholder": {"fr": ("actionnaire", "actionnaires", "m"), "en": ("shareholder", "shareholders"), "ar": ("مساهم", "مساهما", "مساهمان", "مساهمين", "m")},
    "project": {"fr": ("projet", "projets", "m"), "en": ("project", "projects"), "ar": ("مشروع", "مشروعا", "مشروعان", "مشاريع", "m")},
    "member": {"fr": ("membre", "membres", "m"), "en": ("member", "members"), "ar": ("عضو", "عضوا", "عضوان", "أعضاء", "m")},
    "region": {"fr": ("région", "régions", "f"), "en": ("region", "regions"), "ar": ("جهة", "جهة", "جهتان", "جهات", "f")},
    "job": {"fr": ("emploi", "emplois", "m"), "en": ("job", "jobs"), "ar": ("منصب شغل", "منصب شغل", "منصبا شغل", "مناصب شغل", "m")},
}

# currency -> fr / en symbol, ar (genitive singular, accusative singular, plural)
CURRENCIES: Final[dict[str, dict[str, Any]]] = {
    "MAD": {"fr": "MAD", "en": "MAD", "ar": ("درهم", "درهما", "دراهم")},
    "EUR": {"fr": "€", "en": "€", "ar": ("يورو", "يورو", "يورو")},
    "USD": {"fr": "USD", "en": "USD", "ar": ("دولار", "دولارا", "دولارات")},
}
# scale -> fr (singular, plural), en, ar (singular, plural for 3-10)
_SCALES: Final = (
    (1_000_000_000, {"fr": ("milliard", "milliards"), "en": ("billion", "billion"), "ar": ("مليار", "ملايير")}),
    (1_000_000, {"fr": ("million", "millions"), "en": ("million", "million"), "ar": ("مليون", "ملايين")}),
)


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _decimal(x: float, lang: str) -> str:
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def format_number(x: float, lang: str) -> str:
    """Number in a language's usual notation (grouping and decimal mark)."""
    if float(x).is_integer():
        return _group(int(x), {"fr": "\u202f", "en": ",", "ar": "."}[lang])
    return _decimal(float(x), lang)


def arabic_agreement(n: float) -> str:
    """Which noun form an Arabic number takes: plural (3–10), accusative (11–99), genitive."""
    if not float(n).is_integer():
        return "genitive"
    last_two = int(n) % 100
    if 3 <= last_two <= 10:
        return "plural"
    if 11 <= last_two <= 99:
        return "accusative"
    return "genitive"


def format_amount(amount: float, currency: str, lang: str) -> str:
    names = CURRENCIES[currency]
    for scale, words in _SCALES:
        if amount >= scale and (amount * 100) % scale == 0:
            value = amount / scale
            number = _decimal(value, lang)
            if lang == "fr":
                word = words["fr"][0 if value < 2 else 1]
                return f"{number} {word} de {'dirhams' if currency == 'MAD' else names['fr']}"
            if lang == "en":
                return f"{names['en']} {number} {words['en'][0]}"
            word = words["ar"][1] if arabic_agreement(value) == "plural" else words["ar"][0]
            return f"{number} {word} {names['ar'][0]}"
    number = format_number(amount, lang)
    if lang == "en":
        return f"{names['en']} {number}"
    if lang == "fr":
        return f"{number} {names['fr']}"
    genitive, accusative, plural = names["ar"]
    form = {"plural": plural, "accusative": accusative, "genitive": genitive}[arabic_agreement(amount)]
    return f"{number} {form}"


_ONE_TWO: Final[dict[str, dict[Any, str]]] = {
    "fr": {("m", 1): "un", ("f", 1): "une", ("m", 2): "deux", ("f", 2): "deux"},
    "en": {1: "one", 2: "two"},
}


def format_count(n: float, unit: str | None, lang: str) -> str:
    """A count with its unit. One and two are written in words in every language
    (Arabic uses its singular and dual), so the three texts state the same numbers."""
    number = format_number(n, lang)
    if not unit:
        return number
    forms = UNITS[unit][lang]
    whole = float(n).is_integer() and int(n) in (1, 2)
    if lang == "ar":
        genitive, accusative, dual, plural, gender = forms
        if whole and int(n) == 1:
            return f"{genitive} {'واحدة' if gender == 'f' else 'واحد'}"
        if whole and int(n) == 2:
            return dual
        form = {"plural": plural, "accusative": accusative, "genitive": genitive}[arabic_agreement(n)]
        return f"{number} {form}"
    singular, plural = forms[0], forms[1]
    if whole:
        word = _ONE_TWO["fr"][(forms[2], int(n))] if lang == "fr" else _ONE_TWO["en"][int(n)]
        return f"{word} {singular if int(n) == 1 else plural}"
    return f"{number} {singular if n == 1 else plural}"


def month_name(month: int, lang: str) -> str:
    return _MONTHS[lang][month - 1]


def format_date(value: dt.date, lang: str) -> str:
    return f"{value.day} {_MONTHS[lang][value.month - 1]} {value.year}"


def render_fact(fact: Mapping[str, Any], lang: str) -> str:
    """Render one structured fact in a language."""
    if "amount" in fact:
        return format_amount(float(fact["amount"]), str(fact.get("currency", "MAD")), lang)
    if "percent" in fact:
        p = float(fact["percent"])
        text = _decimal(p, lang)
        return f"{text}\u00a0%" if lang == "fr" else f"{text}%"
    if "number" in fact:
        return format_count(float(fact["number"]), fact.get("unit"), lang)
    if "date" in fact:
        return format_date(as_date(fact["date"]), lang)
    if "year" in fact:
        return str(int(fact["year"]))
    if "text" in fact:
        return str(fact["text"][lang])
    raise ValueError(f"unknown fact type: {sorted(fact)}")


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def placeholder_counts(text: str) -> Counter[str]:
    return Counter(name for _, name, _, _ in string.Formatter().parse(text) if name)


def render_text(text: str, facts: Mapping[str, Mapping[str, Any]], lang: str) -> str:
    return text.format_map({k: render_fact(v, lang) for k, v in facts.items()})


_NUMBER_RE: Final = re.compile(
    r"\d+(?:[\u202f\u00a0 ,.]\d{3})+(?![\d])|\d+(?:[.,]\d+)?"
)
_ARABIC_INDIC: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, normalised so `100 000`, `100,000`, `100.000` agree."""
    found: set[str] = set()
    for match in _NUMBER_RE.finditer(text.translate(_ARABIC_INDIC)):
        token = match.group(0)
        if re.fullmatch(r"\d+(?:[\u202f\u00a0 ,.]\d{3})+", token):
            found.add(str(int(re.sub(r"\D", "", token))))
        else:
            value = float(token.replace(",", "."))
            found.add(_decimal(value, "en"))
    return found
