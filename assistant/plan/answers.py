"""Reading the plan form's answers (pure functions over `words.yml`).

Partners: alone / with partners (MRE or not) / not known; "je ne sais pas" in every
variety. Matching is on normalised text, whole words, so "avec" does not match "avecx".
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import yaml

from assistant.text import normalize

WORDS_FILE = Path(__file__).with_name("words.yml")


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    data = yaml.safe_load(WORDS_FILE.read_text(encoding="utf-8"))
    out = {}
    for key, words in data.items():
        alternatives = sorted({normalize(str(w)) for w in words}, key=len, reverse=True)
        out[key] = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in alternatives) + r")(?!\w)")
    return out


def says(text: str, key: str) -> bool:
    return bool(_patterns()[key].search(normalize(text or "")))


def dont_know(text: str) -> bool:
    return says(text, "dont_know")


def parse_partners(text: str) -> str | None:
    """alone | mre | other | partners (MRE status not said) | None (not understood)."""
    if says(text, "partners_not_mre") and says(text, "partners"):
        return "other"
    if says(text, "partners_mre") and says(text, "partners"):
        return "mre"
    if says(text, "alone"):
        return "alone"
    if says(text, "partners"):
        return "partners"
    return None


def parse_partners_mre(text: str) -> bool | None:
    """Are the partners MRE too? (answer to the follow-up question)"""
    if says(text, "partners_not_mre"):
        return False
    if says(text, "partners_mre"):
        return True
    return None


def asks_what_a_plan_is(text: str) -> bool:
    """A question asking what a plan is ("c quoi le business plan ?", "chno howa business plan?"),
    not for one's own plan ("c'est quoi mon plan ?", "fais-moi un plan")."""
    return says(text, "what_is") and says(text, "plan_words") and not says(text, "own_plan")
