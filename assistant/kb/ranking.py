"""The score of each entry for a question: BM25 plus what the question names.

The ranking adds, to BM25:
- the entry's subject named in the question (entities from the NLU pattern extractor, or
  found in the text), the strongest signal;
- the aspect asked about (capital, tax, fees, eligibility…: `vocabulary/facets.yml`);
- the predicted intent's topic;
- for follow-ups ("et pour une SA ?"), the previous answer's subject and facet;
- for a comparison ("SARL, SA ou SAS ?"), the overview of the subjects' topic.
Each hit keeps its reasons, which the answer decision (decision.py) reads.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Final

from assistant.kb.context import Asked
from assistant.kb.query import Hit
from assistant.kb.schema import Entry

# weights of the ranking signals, relative to BM25 scores
SUBJECT_BONUS: Final = 8.0
FACET_BONUS: Final = 4.0
OVERVIEW_BONUS: Final = 1.0
TOPIC_BONUS: Final = 2.0
COMPARISON_BONUS: Final = 10.0
CONTEXT_BONUS: Final = 4.0  # the conversation's subject, for a follow-up with words of its own
ASPECT_LEAD: Final = 0.5  # an entry for the aspect asked over its subject's other entries
#: the conversation's subject's overview answering for an aspect it has no entry for (context.py
#: decides it): over another subject's entry for the aspect whose words the question shares
#: ("ومن يمكنه الاستفادة منه؟" after MDM Tamwil is not MDM Invest's eligibility)
OVERVIEW_ANSWERS: Final = 2 * SUBJECT_BONUS


def rank(entries: Sequence[Entry], lexical_scores: Sequence[float], asked: Asked, *, aspect_answers: Collection[str],
         topic: str | None, intent_confidence: float, comparison: str | None, limit: int,
         aspect_lead: Collection[str] = (), aspect_generals: Collection[str] = ()) -> list[Hit]:
    """The `limit` best-scored entries (`lexical_scores`: their BM25 scores; `aspect_answers`:
    general entries answering an aspect asked of no subject; `comparison`: the id of the
    overview comparing the subjects named; `aspect_lead`: the entry facets of the aspects named
    outside the subjects' names or kept from the conversation, whose entries lead their subject's
    others; `aspect_generals`: the general entries of the aspects asked, which they lead too;
    see `aspect_first`)."""
    subjects, wanted_facets, context, general = asked.subjects, asked.facets, asked.context, asked.general
    hits: list[Hit] = []
    for entry, lexical in zip(entries, lexical_scores, strict=True):
        score, reasons = lexical, ["bm25"]
        if entry.id == general:
            score += SUBJECT_BONUS + FACET_BONUS
            reasons += ["general", "facet"]
        elif entry.subject and entry.subject in subjects:
            score += SUBJECT_BONUS
            reasons.append("subject")
            if entry.facet in wanted_facets:
                score += FACET_BONUS
                reasons.append("facet")
            elif not wanted_facets and entry.facet == "overview":
                score += (OVERVIEW_ANSWERS if asked.inherited else FACET_BONUS) if asked.overview else OVERVIEW_BONUS
        elif context and entry.subject == context:
            score += (SUBJECT_BONUS if asked.continues else CONTEXT_BONUS) + (OVERVIEW_BONUS if entry.facet == "overview" else 0.0)
            reasons.append("context")
        elif entry.id in aspect_answers:
            score += FACET_BONUS
            reasons.append("aspect")
        elif entry.facet in wanted_facets and not subjects:
            score += FACET_BONUS / 2
        if topic and entry.topic == topic:
            score += TOPIC_BONUS * max(intent_confidence, 0.5)
            reasons.append("topic")
        if comparison and entry.subject is None and entry.id == comparison:
            score += COMPARISON_BONUS
            reasons.append("comparison")
        if score > 0:
            hits.append(Hit(entry, round(score, 3), tuple(reasons), lexical))
    return sorted(aspect_first(hits, aspect_lead, aspect_generals), key=lambda h: (-h.score, h.entry.id))[:limit]


def aspect_first(hits: list[Hit], lead: Collection[str], generals: Collection[str]) -> list[Hit]:
    """An entry for the subject and an aspect asked (of `lead`) comes before its subject's other
    entries ("ch7al katkhles had chahada?" after the negative certificate is its fee, though
    "chahada" is its overview's word) and before the aspect's general entry when no subject of
    it is asked (`generals`: "شنو الوراق اللي خاصني باش نحل صارل؟" is the SARL's documents, though
    its words are the general documents entry's question). Not before another subject's entry:
    "شركة ذات مسؤولية محدودة بشريك وحيد" is the SARL AU, not the SARL's partners; nor for an
    aspect only inside a subject's name ("which companies have to pay corporate tax")."""
    unnamed = max((h.score for h in hits if h.entry.id in generals and not {"subject", "context", "general"} & set(h.reasons)),
                  default=0.0)
    rivals: dict[str, float] = {}
    for hit in hits:
        if "subject" in hit.reasons and "facet" not in hit.reasons and hit.entry.subject:
            rivals[hit.entry.subject] = max(rivals.get(hit.entry.subject, 0.0), hit.score)
    return [
        replace(h, score=round(rival + ASPECT_LEAD, 3))
        if {"subject", "facet"} <= set(h.reasons) and h.entry.facet in lead
        and (rival := max(rivals.get(h.entry.subject or "", 0.0), unnamed)) >= h.score
        else h
        for h in hits
    ]
