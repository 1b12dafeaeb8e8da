"""Languages the assistant speaks, and the varieties it understands.

The assistant *answers* in three languages (fr, ar, en). It *understands* two more
varieties of Moroccan Arabic (Darija): in Arabic script it is answered in Arabic, in
Latin script ("Arabizi") it is answered in French. See the README, "Languages".
"""

from __future__ import annotations

from typing import Final, Literal

Language = Literal["fr", "ar", "en"]

#: Languages every response, error message and button exists in.
LANGUAGES: Final[tuple[Language, ...]] = ("fr", "ar", "en")

#: Varieties the language identifier tells apart.
VARIETIES: Final[tuple[str, ...]] = ("fr", "en", "ar", "darija", "arabizi")

#: The answer language for each variety.
ANSWER_LANGUAGE: Final[dict[str, Language]] = {
    "fr": "fr",
    "en": "en",
    "ar": "ar",
    "darija": "ar",
    "arabizi": "fr",
}

#: Used when nothing tells us the user's language (Morocco's administrative lingua franca).
DEFAULT_LANGUAGE: Final[Language] = "fr"

RTL_LANGUAGES: Final[frozenset[str]] = frozenset({"ar"})


def direction(language: str) -> str:
    """HTML `dir` value for a language."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def coerce_language(value: object) -> Language:
    """Map any value (slot, query parameter, header) to a supported answer language."""
    if isinstance(value, str):
        v = value.strip().lower()[:2]
        if v in LANGUAGES:
            return v  # type: ignore[return-value]
    return DEFAULT_LANGUAGE
