"""Whether the chosen entry explains the question: general signals instead of word lists (#11).

The out-of-base word lists (`knowledge/vocabulary/outside.yml`) catch the subjects someone
thought of; a question about something else near the base ("certification halal pour mes
produits", "appel d'offres public") still finds a neighbouring entry. The evidence here uses
no list of subjects, only how much of the question the entry explains and how sure the NLU is:

- coverage: the share of the question's content words (stop words removed, normalised,
  stemmed, typos corrected by the search) that the entry's text, or a subject, aspect or
  business phrase the base knows, contains;
- unexplained: the share of the question's weight that the entry lacks, each word weighted
  by how rare it is in the base (inverse document frequency; a word no entry has weighs most);
- the NLU's intent: a knowledge-base intent or not (fallback, request for a human…), and its
  confidence.

An answer is refused when the NLU did not recognise a knowledge-base question and the entry
holds less than a third of its words, or when the NLU is unsure and most of the question's
weight is unexplained. Used only with the NLU's parse of the message (an intent and its confidence),
never for a follow-up answered from the conversation's subject. Calibrated on the dev sets only (`tests/data/kb_outside.yml` without its
word lists, `tests/data/kb_outside_business.yml`) against the entries' own example questions
parsed by the NLU (each left out of its entry's text); never on the held-out sets.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from assistant.contract import INTENT_TOPICS

#: intents whose messages are knowledge-base questions
KNOWLEDGE_INTENTS: Final = frozenset({*INTENT_TOPICS, "follow_up"})

#: without a knowledge-base intent, the entry must hold at least this share of the words
MIN_COVERAGE_UNRECOGNISED: Final = 0.34
#: below this intent confidence, at most this share of the question's weight may be unexplained
SURE_INTENT: Final = 0.8
MAX_UNEXPLAINED: Final = 0.65


@dataclass(frozen=True)
class Evidence:
    coverage: float  # share of the question's content words the entry (or a known phrase) has
    unexplained: float  # share of the question's rarity weight the entry lacks
    intent_known: bool  # the NLU classified a knowledge-base question
    intent_confidence: float

    @property
    def explains(self) -> bool:
        """Whether the entry may be given as the answer."""
        if not self.intent_known and self.coverage < MIN_COVERAGE_UNRECOGNISED:
            return False
        return not (self.intent_confidence < SURE_INTENT and self.unexplained >= MAX_UNEXPLAINED)


def rarity(term: str, document_frequency: Mapping[str, int], documents: int) -> float:
    """BM25's inverse document frequency: a term no entry has weighs the most."""
    found = document_frequency.get(term, 0)
    return math.log(1 + (documents - found + 0.5) / (found + 0.5))


def weigh(
    terms: Sequence[str],
    entry_terms: Collection[str],
    known_phrase_terms: Collection[str],
    document_frequency: Mapping[str, int],
    documents: int,
    intent: str | None,
    intent_confidence: float,
) -> Evidence:
    """The evidence that an entry (its indexed terms) answers a question (its content terms)."""
    unique = list(dict.fromkeys(terms))
    missing = [t for t in unique if t not in entry_terms and t not in known_phrase_terms]
    weights = {t: rarity(t, document_frequency, documents) for t in unique}
    total = sum(weights.values())
    return Evidence(
        coverage=1 - len(missing) / len(unique) if unique else 1.0,
        unexplained=sum(weights[t] for t in missing) / total if total else 0.0,
        intent_known=intent in KNOWLEDGE_INTENTS,
        intent_confidence=intent_confidence,
    )
