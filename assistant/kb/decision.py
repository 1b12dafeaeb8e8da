"""Whether the best-ranked entry answers the question, or close ones are worth a clarifying question.

A hit whose subject (or the conversation's, or a compared topic's) the question named answers
it; without one, only clear lexical evidence does: most of the question's words found in the
entry, or a strong BM25 match, or one the NLU's topic confirms. A topic the NLU reads otherwise
takes that back. Close hits of different subjects, equally well named, become options.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Final

from assistant.kb.query import Hit, Query

#: Reasons of a hit that say the question named what it answers (a subject, the conversation's
#: subject, a comparison, or an aspect whose general entry answers it for the subject named).
NAMED: Final = frozenset({"subject", "comparison", "context", "general"})

# an answer without a named subject needs this much lexical evidence
MIN_BM25: Final = 6.0
MIN_COVERAGE: Final = 0.5
# strong lexical matches or intent-confirmed ones still need this share of the words
MIN_WEAK_COVERAGE: Final = 0.34
CLOSE_RATIO: Final = 0.85
# the NLU's topic disagrees with the best entry's (see confident())
DISAGREE_CONFIDENCE: Final = 0.9
DISAGREE_COVERAGE: Final = 0.3
SURE_TOPIC: Final = 0.8  # the NLU's topic confirms an entry
NOT_UNDERSTOOD: Final = "nlu_fallback"  # the NLU's intent for a message it could not read
# an option paraphrased scores at least this share of the best entry's score
CHOICE_SHARE: Final = 0.5


def coverage(terms: Sequence[str], entry_terms: Collection[str]) -> float:
    """Share of the question's words that the entry (its indexed terms) contains: a question
    whose main words the knowledge base has never seen ("visa Schengen") is not answered."""
    unique = list(dict.fromkeys(terms))
    if not unique:
        return 0.0
    return sum(1 for t in unique if t in entry_terms) / len(unique)


def strength(hit: Hit) -> int:
    """How explicitly a hit was asked for: subject and aspect named, subject only, neither."""
    named = bool(NAMED & set(hit.reasons))
    return 2 * named + ("facet" in hit.reasons)


def confident(best: Hit, terms: Sequence[str], covered: float, query: Query, topic: str | None, *,
              follow_up: bool, wanted_facets: Collection[str], about_business: Callable[[], bool],
              only_aspect: bool = False) -> bool:
    """Whether the best hit answers the question (`covered`: its coverage of the question's
    terms; `about_business`: whether the question speaks of a business, not only of an aspect;
    `only_aspect`: the question names an aspect and nothing else, no subject in the conversation)."""
    # the question named what the hit answers; so did a question naming an aspect of no subject,
    # answered by the aspect's general entry in the topic the NLU is sure of ("ana sakna f almania, wach n9der nftah charika?")
    # or a question that is only an aspect ("quel est le délai ?", "ch7al kayakhod?"), which
    # the aspect's general entry answers whatever the topic the NLU reads, unless it could not
    # read the message at all ("le délai" at nlu_fallback is not guessed)
    named = bool(NAMED & set(best.reasons)) or (
        {"aspect", "topic"} <= set(best.reasons) and query.intent_confidence >= SURE_TOPIC
    ) or ("aspect" in best.reasons and only_aspect and query.intent != NOT_UNDERSTOOD)
    # without a named subject, answer only on clear lexical evidence: most of the
    # question's words found, or a strong match, or one the intent's topic confirms;
    # a question of one or two words ("c quoi les étapes ?", "et le délai ?" after the SARL)
    # cannot reach MIN_BM25: all its words in the entry suffice when the NLU's topic confirms
    # it, or in a follow-up whose word is no aspect the conversation's subject lacks ("et les
    # documents ?" after the SARL AU is not the SA's documents)
    short = (
        len(set(terms)) <= 2
        and covered >= 1.0
        and best.lexical >= MIN_BM25 / 2
        and ((follow_up and not wanted_facets) or ("topic" in best.reasons and query.intent_confidence >= 0.8))
    )
    sure_enough = named or short or (
        best.lexical >= MIN_BM25
        and (
            covered >= MIN_COVERAGE
            or (
                covered >= MIN_WEAK_COVERAGE
                and (
                    best.lexical >= 2 * MIN_BM25
                    or ("topic" in best.reasons and query.intent_confidence >= 0.8)
                )
            )
        )
    )
    # the NLU recognised another topic than the entry's: a neighbouring entry, not the
    # answer, when nothing names its subject (or its aspect), or when the NLU is sure and the entry holds
    # few of the question's words ("certificat de vie pour la pension de mon père" is not
    # the pension-transfer tax entry). Thresholds calibrated on tests/data/kb_outside.yml
    # (the dev set) at no cost on the in-base held-out questions.
    if sure_enough and topic and best.entry.topic != topic and "context" not in best.reasons:
        sure = query.intent_confidence >= DISAGREE_CONFIDENCE
        # an aspect named in a question about a business ("quels papiers pour ouvrir une société")
        # names what the entry answers; "papiers pour un permis de construire" does not
        aspect = "aspect" in best.reasons and about_business()
        # (a question naming both the subject and its aspect, "...مقاولة ذاتية، ما هي الشروط؟" read as
        # financing, says what it asks however many other words it has)
        both = {"subject", "facet"} <= set(best.reasons)
        # (an NLU unsure of its topic does not outweigh a strong match holding most of the question's
        # words: "أريد أن أحضر آلات لورشتي، هل أدفع عليها رسوم الجمارك؟" read as a tax at 0.64 is the
        # equipment's import; the out-of-base evidence still weighs the words the entry lacks)
        strong = query.intent_confidence < SURE_TOPIC and best.lexical >= 2 * MIN_BM25 and covered >= MIN_COVERAGE
        if not (named or aspect or strong) or (sure and covered < DISAGREE_COVERAGE and not both):
            sure_enough = False
    return sure_enough


def options(hits: list[Hit], context_subject: str | None, wanted_facets: Collection[str],
            topic: str | None = None, intent_confidence: float = 0.0, ranked: Sequence[Hit] = ()) -> list[Hit]:
    """The hits a clarifying question offers (none: the best one answers; `hits`: the best
    ones, `ranked`: all, searched for the question's topic's entries)."""
    best = hits[0]
    if (topic and intent_confidence >= SURE_TOPIC and wanted_facets and best.entry.topic != topic
            and not NAMED & set(best.reasons)):
        # an aspect of no subject ("ما هي النسبة؟"), in a topic the NLU is sure of, that the best
        # entry of another topic holds by its words: the question's topic's entries holding
        # the aspect are its meanings
        return in_topic(ranked or hits, topic, wanted_facets)
    close = competing(hits, context_subject)
    if close and strength(best) < 2 and not (wanted_facets and all(h.entry.facet in wanted_facets for h in close)):
        # neither a subject nor a shared aspect was named: close word counts are not two
        # meanings of the question, the best entry answers it
        return []
    return close


def in_topic(hits: Sequence[Hit], topic: str, wanted_facets: Collection[str]) -> list[Hit]:
    """The close hits of one topic holding the aspect asked, of different subjects (two at least)."""
    held = [h for h in hits if h.entry.topic == topic and h.entry.facet in wanted_facets]
    close = [h for h in held if h.score >= CLOSE_RATIO * held[0].score] if held else []
    return close if len({h.entry.subject for h in close}) >= 2 else []


def competing(hits: list[Hit], context_subject: str | None) -> list[Hit]:
    """The hits worth a clarifying question: close in score, of different subjects, and
    equally well named. A question naming a subject and an aspect is answered directly, and
    so is one naming several subjects (a comparison, or both parts of a two-subject
    question); options stay in the best answer's topic or the conversation's subject."""
    best = hits[0]
    if "comparison" in best.reasons:
        return []  # "SARL, SA ou SAS ?": the topic's overview compares them
    strongest = strength(best)
    close = [
        h for h in hits[1:]
        if h.score >= CLOSE_RATIO * best.score
        and h.entry.subject != best.entry.subject
        and strength(h) >= strongest
        and (h.entry.topic == best.entry.topic or (context_subject and h.entry.subject == context_subject))
    ]
    if close and "subject" in best.reasons and all("subject" in h.reasons for h in close):
        return []  # every subject was named ("capital SARL w SA ?"): each is answered, none asked about
    return [best, *close] if close else []


def chosen_option(hits: list[Hit], offered: Collection[str], subjects: Collection[str]) -> Hit | None:
    """The option of the clarifying question just asked that a message paraphrases ("la TVA",
    "the corporate one", "ديال صارل"): the only offered entry the message gives evidence for
    (its words, its subject or aspect), well ahead of the other options, the message naming no
    subject outside them. None: the message is read as a new question."""
    if not offered or not hits:
        return None
    among = [h for h in hits if h.entry.id in offered]
    if not among or any(s not in {h.entry.subject for h in among} for s in subjects):
        return None
    first = among[0]
    evidence = first.lexical > 0 or bool({"subject", "facet", "general"} & set(first.reasons))
    ahead = len(among) < 2 or among[1].score < CLOSE_RATIO * first.score
    return first if evidence and ahead and first.score >= CHOICE_SHARE * hits[0].score else None
