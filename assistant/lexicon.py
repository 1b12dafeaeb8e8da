"""Word lists kept as data (`assistant/words/*.yml`), read once on first use.

A list is a phrase list: each entry is one word or a whole phrase ("je suis d'accord",
"ma bghitch"), never a phrase split into single words. Entries are compared after
`assistant.text.normalize` unless a file says `normalize: false`. The tests in
`tests/*/test_word_lists.py` refuse duplicates and split phrases. Pure Python + PyYAML:
both environments read these files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.text import normalize, words

WORDS_DIR = Path(__file__).parent / "words"


@cache
def load(name: str) -> dict[str, Any]:
    """The raw content of `words/<name>.yml`."""
    data = yaml.safe_load((WORDS_DIR / f"{name}.yml").read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"words/{name}.yml must be a mapping of list names to lists")
    return data


def raw_entries(name: str, key: str) -> list[str]:
    """Entries of one list as written (a list, or a mapping of varieties to lists)."""
    value = load(name)[key]
    groups = value.values() if isinstance(value, dict) else [value]
    out = [entry for group in groups for entry in group]
    wrong = [entry for entry in out if not isinstance(entry, str) or not entry.strip()]
    if wrong:  # YAML reads a bare `no` as false
        raise ValueError(f"words/{name}.yml: {key}: entries must be non-empty strings (quote {wrong})")
    return out


@cache
def entries(name: str, key: str) -> frozenset[str]:
    """One list's entries, normalised (unless the file says `normalize: false`)."""
    raw = raw_entries(name, key)
    if load(name).get("normalize", True) is False:
        return frozenset(raw)
    return frozenset(normalize(entry) for entry in raw)


@cache
def phrase_words(name: str, key: str) -> tuple[tuple[str, ...], ...]:
    """One list's entries as word sequences, for whole-phrase matching with `contains_phrase`."""
    return tuple(dict.fromkeys(tuple(words(entry)) for entry in raw_entries(name, key) if words(entry)))


def contains_phrase(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    """Whether `phrase` occurs in `tokens` as consecutive whole words."""
    n = len(phrase)
    return any(tuple(tokens[i:i + n]) == phrase for i in range(len(tokens) - n + 1))


def says(tokens: list[str], name: str, *keys: str) -> bool:
    """Whether `tokens` (see `assistant.text.words`) contain a whole phrase of one of the lists."""
    return any(contains_phrase(tokens, phrase) for key in keys for phrase in phrase_words(name, key))
