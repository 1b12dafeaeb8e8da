"""Whether the out-of-base evidence (#11) lets the search's best entry answer: the general
evidence (evidence.py: does the entry explain the question, as the NLU understood it?), its learnt
part (NearBase) and the written near-base questions (examples.py), built when first used.
A mixin of the KnowledgeIndex (search.py), which sets the switches and the tables these read.
"""

from __future__ import annotations

from collections import Counter

from assistant.kb import decision
from assistant.kb.evidence import NearBase, weigh
from assistant.kb.examples import NearestExamples, learnt_evidence
from assistant.kb.index_tables import IndexTables
from assistant.kb.phrases import PLACE_ENTITIES
from assistant.kb.query import Hit, Query
from assistant.kb.terms import content_terms
from assistant.text import search_terms


class AnswerEvidence(IndexTables):
    """The out-of-base evidence of the KnowledgeIndex (its switches are set by its constructor)."""

    evidence: bool  # refuse answers the general out-of-base evidence rejects
    learnt: bool  # and those its learnt part rejects
    examples: bool  # and those closer to a near-base question
    _near_base: NearBase | None
    _nearest: NearestExamples | None

    @property
    def near_base(self) -> NearBase:
        """The learnt out-of-base evidence (#11): the entries' words vs those of questions near
        the base, built when first used."""
        if self._near_base is None:
            places = {t for p in self.vocabulary.phrases if p.entity in PLACE_ENTITIES for t in search_terms(p.text)}
            self._near_base, self._nearest = learnt_evidence(self.entries, self.question_terms, self.business_terms | places)
        return self._near_base

    @property
    def nearest(self) -> NearestExamples:
        """The written in-base and near-base questions (examples.py), built with `near_base`."""
        _ = self.near_base
        assert self._nearest is not None
        return self._nearest

    def subject_names(self, best: Hit, text: str) -> list[str]:
        """The words of a question that name its best entry's subject ("pomire", "MBI"), as the search
        reads them, when the question names it (examples.closer_to_near); none otherwise."""
        if "subject" not in best.reasons or not best.entry.subject:
            return []
        return [t for p in self.vocabulary.find(text) if f"{p.entity}:{p.value}" == best.entry.subject
                for t in content_terms(p.text)]

    def explained(self, query: Query, best: Hit, terms: list[str], best_terms: Counter[str], covered: float,
                  text: str, follow_up: bool) -> bool:
        """Whether the out-of-base evidence keeps a confident answer: kept apart from the search's
        flow because it weighs the question's words anew (the learnt evidence, the near-base questions)."""
        # an elliptic message continuing the conversation ("who can get it?") holds few of its entry's
        # words: the learnt evidence's threshold does not fall with them
        # (an entry of no subject, found by its words alone, is no conversation continued: "goodwill"
        # or "murabaha" by the creation costs or the financing overview; named as an aspect's general
        # entry, it is: "ch7al taman dyal creation" after a self-introduction)
        elliptic = follow_up or (query.context_subject == best.entry.subject
                                 and (query.context_subject is not None or bool(decision.NAMED & set(best.reasons))))
        # (a subject of the base named, not a place, beside no subject outside it, keeps the
        # question in the base however unsure the NLU: the other words are how it is asked)
        named = ("subject" in best.reasons and not (best.entry.subject or "region:").startswith("region:")
                 and not self.vocabulary.outside_found(text))
        # an aspect's general answer for what someone opens ("bghit nftah snack f tanja, chno khasni?":
        # the documents): the aspect, place and business words chose it, the activity is no evidence
        # (named by its subject too: "bghit nftah mahal f tanja, chno lwra9 li khasni?")
        weighed, cover = terms, 1.0 if elliptic else covered
        if {"subject", "facet"} <= set(best.reasons) and not elliptic:
            # (the subject and the aspect its entry answers named: their words are the entry's,
            # however they are spelt, "شحال الكابيتال ديال SA؟")
            cover = decision.coverage(terms, {*best_terms, *self.phrase_terms})
        # (for the learnt evidence however elliptic)
        if "general" in best.reasons or best.entry.subject in self.general_subjects:
            opened = {t for p in self.vocabulary.activity_table.find(text) for t in self.question_terms(p.text)[1]}
            weighed = [t for t in terms if t not in opened]
            cover = cover if elliptic else decision.coverage(weighed, {*best_terms, *self.phrase_terms}) if weighed else 1.0
        confident = weigh(terms, best_terms, self.phrase_terms, self.document_frequency, len(self.entries),
                          query.intent, query.intent_confidence, named
                          ).explains and (not self.learnt or self.near_base.answers(weighed, cover))
        # ... nor when a written question no entry answers is clearly closer to it (examples.py)
        confident = confident and not (self.learnt and self.examples and not elliptic
                                       and self.nearest.closer_to_near(terms, best_terms, self.subject_names(best, text)))
        return confident
