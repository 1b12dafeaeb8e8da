"""Two questions in one message, and questions hidden behind a greeting or a thank-you.

"Quelles sont les étapes et combien ça coûte ?", "capital and how many partners?",
"شنو هي المراحل وشحال كتكلف؟": the message is split before a conjunction followed by a
question word, or after a question mark followed by another question, so each part can be
searched on its own. The words are data (`assistant/words/conversation.yml`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from assistant.lexicon import load
from assistant.text import normalize

MIN_PART_LETTERS: Final = 3


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    data = load("conversation")
    words = sorted({normalize(w) for ws in data["question_words"].values() for w in ws}, key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    latin = "|".join(re.escape(normalize(c)) for c in data["conjunctions"]["latin"])
    arabic = "|".join(re.escape(normalize(c)) for c in data["conjunctions"]["arabic"])
    question = rf"(?:{alternatives})(?![\w'])"
    # the split point is kept at the conjunction: the second part starts with it ("et combien…")
    joint = re.compile(rf"(?<=\w)[\s,]+(?=(?:{latin})\s+{question})|(?<=\w)\s+(?=(?:{arabic})\s?{question})")
    after_mark = re.compile(r"(?<=[?؟])\s+(?=\S)")
    asking = re.compile(rf"(?<![\w'])(?:{alternatives})(?![\w'])|[?؟:]")
    return joint, after_mark, asking


def split_question(text: str) -> list[str]:
    """The parts of a message that asks several things (one part when it asks one)."""
    joint, after_mark, _ = _patterns()
    normalised = normalize(text)
    parts = []
    for piece in after_mark.split(normalised):
        parts += joint.split(piece)
    parts = [p.strip(" ,;.") for p in parts]
    parts = [p for p in parts if sum(ch.isalpha() for ch in p) >= MIN_PART_LETTERS]
    return parts if len(parts) > 1 else [normalised]


def asks_something(text: str) -> bool:
    """A question mark, a colon or a question word ("merci ! et le taux de TVA ?")."""
    return bool(_patterns()[2].search(normalize(text)))
