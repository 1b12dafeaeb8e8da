"""Checks for untrusted JSON and text, shared by the public channels and the staff API.

Standard library only (imported by the Rasa process and the service): lone surrogates
(invalid Unicode a JSON `\\ud800` escape produces, which no database or encoder accepts)
become U+FFFD, and nesting is measured without recursion.
"""

from __future__ import annotations

import re
from typing import Any, Final

#: In a Python string every surrogate code point is a lone one (pairs are decoded to one character).
LONE_SURROGATE: Final = re.compile("[\ud800-\udfff]")
#: Deepest JSON accepted by default.
MAX_DEPTH: Final = 20


def clean_text(text: str) -> str:
    """The text with lone surrogates (not encodable) replaced by U+FFFD."""
    return LONE_SURROGATE.sub("\ufffd", text) if text else text


def json_depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """Depth of a parsed JSON value, counting at most `limit + 1` (no recursion)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return deepest


def clean_json(value: Any) -> Any:
    """A copy of a parsed JSON value (at most MAX_DEPTH deep) with every string, keys too,
    cleaned of lone surrogates."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_json(v) for v in value]
    return value
