"""What a knowledge search is asked (`Query`) and what it answers (`Hit`, `Result`).

Shared by the ranking (ranking.py), the answer decision (decision.py) and the search that
joins them (search.py), and by the actions and benchmarks that build queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from assistant.contract import SUBJECT_TYPES
from assistant.kb.schema import Entry
from assistant.kb.vocabulary_model import OutsideTopic, Vocabulary


def subjects_from_entities(entities: Iterable[dict[str, object]], vocabulary: Vocabulary) -> tuple[str, ...]:
    """NLU entities as entry subjects (`legal_form:sarl`); a city stands for its region."""
    subjects: list[str] = []
    for entity in entities:
        etype, value = entity.get("entity"), str(entity.get("value"))
        if etype in SUBJECT_TYPES:
            subjects.append(f"{etype}:{value}")
        elif etype == "city" and value in vocabulary.city_region:
            subjects.append(f"region:{vocabulary.city_region[value]}")
    return tuple(dict.fromkeys(subjects))


@dataclass(frozen=True)
class Query:
    text: str
    intent: str | None = None
    intent_confidence: float = 0.0
    subjects: Sequence[str] = ()  # "type:value" from NLU entities (cities already mapped to regions)
    context_subject: str | None = None  # subject of the previous answer (follow-ups)
    context_facet: str | None = None  # facet of the previous answer (follow-ups)
    entry_id: str | None = None  # an explicit choice (a related-question button)
    abroad: bool = False  # a self-introduction, not searched, said the writer lives outside Morocco
    offered: Sequence[str] = ()  # the entries a clarifying question just offered (a message may choose one)
    alternatives: Sequence[str] = ()  # the options of the last clarifying question not chosen ("et l'autre ?")
    related: Sequence[str] = ()  # the entries under a general answer just given (read like options, never chosen)
    after_outside: bool = False  # the assistant just said the subject is outside the base (its follow-up has no subject)


@dataclass(frozen=True)
class Hit:
    entry: Entry
    score: float
    reasons: tuple[str, ...] = ()
    lexical: float = 0.0  # the BM25 part of the score


@dataclass
class Result:
    hits: list[Hit] = field(default_factory=list)
    confident: bool = False
    ambiguous: bool = False  # close alternatives worth offering as buttons
    subject: str | None = None
    facet: str | None = None
    options: list[Entry] = field(default_factory=list)  # what a clarifying question offers
    outside: OutsideTopic | None = None  # a subject outside the base (visa, inheritance…)
    asked: tuple[str, ...] = ()  # the aspects the question asks (facets), named or inherited
    #: the options are the meanings of the question's own words (meanings.py): each holds all of them
    meanings: bool = False

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None

    @property
    def worth_asking(self) -> bool:
        """Close options that all hold the aspect asked ("quel est le taux ?": VAT or corporate
        tax), or that are the meanings of the question's words ("the fund?", "الصندوق؟": the Hassan II
        fund, MDM Invest or MDM Tamwil): a clarifying question, even when no single entry is a
        confident answer (an unsure NLU, or the out-of-base evidence, refuses each alone)."""
        return self.ambiguous and (self.meanings or (bool(self.asked) and all(o.facet in self.asked for o in self.options)))
