"""Typed answers to the case form's buttons: confirm, correct, which field, undecided.

On Twilio buttons become typed options, and everywhere people type "je confirme",
"c'est bon", "looks good", "واخا أكد", "la région", "not decided yet" instead of pressing.
The words are data (`form_answers.yml`). Pure functions, both environments.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml

from assistant.text import normalize

WORDS_FILE: Final = Path(__file__).with_name("form_answers.yml")
#: A typed field name is a short message ("la région", "corriger le secteur").
MAX_FIELD_WORDS: Final = 4


def _phrases(items: list[Any]) -> tuple[str, ...]:
    return tuple(sorted({normalize(str(i)).strip() for i in items}, key=len, reverse=True))


@lru_cache(maxsize=1)
def _words() -> dict[str, Any]:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    return {
        "confirm": _phrases(data["confirm"]),
        "correct": _phrases(data["correct"]),
        "fields": {slot: _phrases(names) for slot, names in data["fields"].items()},
        "undecided": _phrases(data["undecided"]),
    }


def _clean(text: str) -> str:
    return " ".join(re.findall(r"[\w']+", normalize(text)))


def _contains(text: str, phrases: tuple[str, ...]) -> bool:
    return any(re.search(rf"(?<![\w']){re.escape(p)}(?![\w'])", text) for p in phrases)


def wants_correction(text: str) -> bool:
    """"Corriger", "Correct", "تصحيح", "bdel": the correction menu (or a field, see below)."""
    cleaned = _clean(text)
    return cleaned in _words()["correct"] or (
        len(cleaned.split()) <= MAX_FIELD_WORDS and _contains(cleaned, _words()["correct"]) and not confirms(text)
    )


def confirms(text: str) -> bool:
    """"Confirmer", "je confirme", "c'est bon", "looks good", "واخا أكد"…"""
    cleaned = _clean(text)
    if cleaned in _words()["correct"]:
        return False
    return _contains(cleaned, _words()["confirm"])


def field_named(text: str) -> str | None:
    """The form field a short typed answer names ("la région", "Sector", "الجهة")."""
    cleaned = _clean(text)
    if not cleaned or len(cleaned.split()) > MAX_FIELD_WORDS:
        return None
    for slot, names in _words()["fields"].items():
        if _contains(cleaned, names):
            return slot
    return None


def undecided(text: str) -> bool:
    """"Not decided yet", "je sais pas", "مانعرف": neither a place nor a yes or a no."""
    return _contains(_clean(text), _words()["undecided"])
