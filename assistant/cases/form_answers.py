"""Typed answers to the case form's buttons: confirm, correct, which field, undecided.

On Twilio buttons become typed options, and everywhere people type "je confirme",
"c'est bon", "looks good", "واخا أكد", "la région", "not decided yet" instead of pressing.
The words are data, read through `assistant.lexicon`: `words/case_form.yml` (confirm,
correct, undecided), `words/case_fields.yml` (field names) and `words/yes_no.yml` (a plain
yes confirms, a hesitation is undecided). Pure functions, both environments.
"""

from __future__ import annotations

from typing import Final

from assistant.lexicon import entries, load, says
from assistant.text import words

#: A typed field name is a short message ("la région", "corriger le secteur").
MAX_FIELD_WORDS: Final = 4


def _is_only_correction(tokens: list[str]) -> bool:
    return " ".join(tokens) in entries("case_form", "correct")


def wants_correction(text: str) -> bool:
    """"Corriger", "Correct", "تصحيح", "bdel": the correction menu (or a field, see below)."""
    tokens = words(text)
    return _is_only_correction(tokens) or (
        0 < len(tokens) <= MAX_FIELD_WORDS and says(tokens, "case_form", "correct") and not confirms(text)
    )


def confirms(text: str) -> bool:
    """"Confirmer", "je confirme", "c'est bon", "looks good", "واخا أكد", a plain yes…"""
    tokens = words(text)
    if not tokens or _is_only_correction(tokens) or says(tokens, "yes_no", "unsure", "deny"):
        return False
    return says(tokens, "case_form", "confirm") or says(tokens, "yes_no", "affirm")


def field_named(text: str, fields: str = "case_fields") -> str | None:
    """The form field a short typed answer names ("la région", "Sector", "الجهة"); `fields` is
    the word list of the form's fields (`case_fields`, or `plan_fields` for the plan form)."""
    tokens = words(text)
    if not tokens or len(tokens) > MAX_FIELD_WORDS:
        return None
    return next((slot for slot in load(fields) if says(tokens, fields, slot)), None)


def undecided(text: str) -> bool:
    """"Not decided yet", "pas encore", "je sais pas", "مزال": neither a place nor a yes or a no."""
    tokens = words(text)
    return says(tokens, "case_form", "undecided") or says(tokens, "yes_no", "unsure")
