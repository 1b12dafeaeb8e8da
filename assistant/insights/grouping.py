"""Group unanswered questions by similarity, across languages (no model, 2 cores).

Two signals: character n-grams of the knowledge search's normalised text (catches
spelling variants, Arabizi, typos within one language) and *concepts* found by the
knowledge base's own multilingual vocabulary: subjects (SARL = شركة ذات مسؤولية
محدودة = sarl) and aspects (capital, tax, fees...). Questions naming the same concepts
in different languages therefore group together. Greedy single pass, newest first,
a question joining the group whose closest member is similar enough (single link).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.kb.search import KnowledgeIndex, Query
from assistant.kb.terms import STOPWORDS
from assistant.text import normalize

THRESHOLD = 0.38
NGRAMS = (3, 4)


@dataclass(frozen=True)
class Question:
    id: int
    text: str
    topic: str | None = None
    variety: str | None = None
    unhelpful: bool = False  # answered, but the investor said the answer did not help


@dataclass
class Group:
    key: str
    questions: list[Question] = field(default_factory=list)
    concepts: frozenset[str] = frozenset()
    closest: list[tuple[str, str]] = field(default_factory=list)  # (entry id, title in the UI language)
    _vectors: list[Counter[str]] = field(default_factory=list, repr=False)

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def unhelpful(self) -> int:
        return sum(q.unhelpful for q in self.questions)

    @property
    def varieties(self) -> list[str]:
        return sorted({q.variety for q in self.questions if q.variety})


_PLACEHOLDER = re.compile(r"\[(?:email|phone|case|id|link)\]")


def ngrams(text: str) -> Counter[str]:
    words = [w for w in normalize(_PLACEHOLDER.sub(" ", text)).split() if w not in STOPWORDS]
    grams: Counter[str] = Counter()
    for word in words:
        padded = f" {word} "
        for n in NGRAMS:
            grams.update(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams


def cosine(a: Counter[str], b: Counter[str]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def concepts(text: str, index: KnowledgeIndex | None) -> frozenset[str]:
    if index is None:
        return frozenset()
    found = set(index.subjects_in(text))
    found.update(f"facet:{f.name}" for f in index.vocabulary.facets_in(normalize(text)))
    return frozenset(found)


def similarity(vector: Counter[str], ideas: frozenset[str], group: Group) -> float:
    lexical = max((cosine(vector, member) for member in group._vectors), default=0.0)  # single link
    if ideas and group.concepts:
        overlap = len(ideas & group.concepts) / len(ideas | group.concepts)
        return max(lexical, 0.9 * overlap)
    return lexical


def group_questions(
    questions: Sequence[Question], index: KnowledgeIndex | None, language: str = "fr", threshold: float = THRESHOLD
) -> list[Group]:
    """Groups, largest first, each with the closest existing knowledge entries."""
    groups: list[Group] = []
    for question in questions:
        vector, ideas = ngrams(question.text), concepts(question.text, index)
        best, score = None, 0.0
        for group in groups:
            s = similarity(vector, ideas, group)
            if s > score:
                best, score = group, s
        if best is None or score < threshold:
            best = Group(key="", concepts=ideas)
            groups.append(best)
        best.questions.append(question)
        best._vectors.append(vector)
        best.concepts = best.concepts | ideas if best.concepts else ideas
    for group in groups:
        ids = ",".join(str(q.id) for q in sorted(group.questions, key=lambda q: q.id))
        group.key = hashlib.sha256(ids.encode()).hexdigest()[:16]
        if index is not None:
            sample = " ".join(q.text for q in group.questions[:3])
            result = index.search(Query(text=sample), limit=3)
            lang = language if language in ("fr", "ar", "en") else "fr"
            group.closest = [(h.entry.id, h.entry.title[lang]) for h in result.hits]  # type: ignore[index]
    groups.sort(key=lambda g: (-g.count, g.key))
    return groups
