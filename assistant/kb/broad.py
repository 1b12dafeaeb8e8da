"""The options of a broad question that no entry answers alone (#10, "Clarify less, and better").

A first question naming no subject and no aspect the search can tell apart, in a topic the NLU
reads ("what benefits do MREs get?", "الجمارك؟" read as exchange), whose words several entries of
that topic hold about equally: no one of them is sure enough to answer, yet "not in my sources"
would be wrong, the base holds several answers. Its options are the close entries of that topic
(one per subject), when every one of them holds the question's telling words and the question
holds no word the base has never seen (which asks something else: out of the base). The caller
offers them only when nothing else answers or clarifies (search.py), in the writer's language.
Pure Python.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

from assistant.kb.meanings import TermsOf, hold
from assistant.kb.query import Hit

#: The NLU reads the question's topic at least this surely (below: its topic is no evidence).
BROAD_TOPIC_CONFIDENCE: Final = 0.5
#: An option scores at least this share of the best entry of the topic, and holds at least this
#: share of its lexical score: the question's words do not tell them apart.
BROAD_RATIO: Final = 0.8
#: At most this many options (the clarifying question's buttons).
BROAD_OPTIONS: Final = 3


def options(ranked: Sequence[Hit], topic: str | None, intent_confidence: float, words: Collection[str],
            unknown: Collection[str], terms_of: TermsOf) -> list[Hit]:
    """The meanings of a broad question (`ranked`: every entry, best first; `words`: its telling
    words, meanings.telling; `unknown`: those no entry holds, meanings.unknown): the best entry of
    each subject of the NLU's `topic`, as close as BROAD_RATIO to the best one, two at least."""
    if not topic or intent_confidence < BROAD_TOPIC_CONFIDENCE or unknown:
        return []
    pool = [h for h in ranked if h.entry.topic == topic and h.lexical > 0]
    if not pool:
        return []
    best = pool[0]
    picked: dict[str, Hit] = {}
    for hit in pool:
        if hit.score < BROAD_RATIO * best.score or hit.lexical < BROAD_RATIO * best.lexical:
            continue
        picked.setdefault(hit.entry.subject or hit.entry.id, hit)
        if len(picked) >= BROAD_OPTIONS:
            break
    meanings = list(picked.values())
    return meanings if len(meanings) >= 2 and hold(meanings, words, terms_of) else []
