"""Retrieval over the knowledge base: intent + entities + BM25, across languages.

The search reads what a question names (subjects, aspects, a subject outside the base, the
conversation it continues: question_steps.py, step by step; context.py), ranks the entries
(ranking.py) and decides whether the best one answers it or close ones are worth a clarifying
question (decision.py; the meanings of an aspect asked alone or of words several subjects share:
meanings.py), the out-of-base evidence (evidence.py; its checks of the best entry:
answer_evidence.py) having the last word.
The tables it reads are built in index_tables.py; the answers given before any ranking when only
a topic is asked (its overview, the way from abroad) in overview_answers.py. The question's and
entries' words are in terms.py, the query and result types in query.py (re-exported here for
importers); the reading of the names a question holds in reading.py, of its aspects in aspect_reading.py.
Pure Python: runs in the action server and in the benchmark alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from assistant.contract import INTENT_TOPICS
from assistant.kb import broad, decision, meanings
from assistant.kb.answer_evidence import AnswerEvidence
from assistant.kb.opposites import opposed
from assistant.kb.places import PLACE_KIND, answers_subject, answers_topic, asks_place, beside_places, context_topic
from assistant.kb.query import Hit, Query, Result, subjects_from_entities
from assistant.kb.question_steps import Question, QuestionSteps
from assistant.kb.ranking import rank
from assistant.kb.schema import Entry
from assistant.kb.vocabulary_model import Vocabulary

__all__ = ["KnowledgeIndex", "Query", "Result", "subjects_from_entities"]


class KnowledgeIndex(QuestionSteps, AnswerEvidence):
    """The searchable knowledge base (rebuilt when a new version is loaded): its tables
    (index_tables.py) and the search over them."""

    def __init__(self, entries: Sequence[Entry], vocabulary: Vocabulary, version: int | None = None,
                 *, evidence: bool = True, learnt: bool = True, examples: bool = True) -> None:
        self.evidence = evidence  # refuse answers the general out-of-base evidence rejects (evidence.py)
        # and those its learnt part rejects (NearBase; off: the search alone, as before session 21)
        self.learnt = learnt
        self.examples = examples  # and those closer to a near-base question (examples.py)
        self._near_base = None  # (the learnt evidence, built when first used: answer_evidence.py)
        self._nearest = None
        super().__init__(entries, vocabulary, version)  # the tables (index_tables.py)

    def warm(self) -> KnowledgeIndex:
        """Builds the parts built when first used (the learnt evidence), so the first question
        after a load does not pay for them (~3 s)."""
        _ = self.near_base
        return self

    def search(self, query: Query, limit: int = 3) -> Result:
        """The entries answering a query and whether the best answers it clearly, in steps: an
        option chosen, the question read (what it names, the conversation it continues), the
        topic's answers (overview_answers.py), the ranking, the evidence (answer_evidence.py),
        the close options or meanings worth a clarifying question. A place's entry found for a
        question naming only places beside what it asks of the project there is searched again
        with the places as context (places.py)."""
        result = self._search(query, limit)
        return self._with_places_as_context(query, result, limit) or result

    def _with_places_as_context(self, query: Query, result: Result, limit: int) -> Result | None:
        """The answer when the places a question names are only where the project will be
        ("bghit ndir projet f fes, wach kayn chi da3m?": the financing overview, not Fès-Meknès);
        None when its place's entry is what it asks, or when nothing else answers."""
        best = result.best
        if best is None or "subject" not in best.reasons or not (best.entry.subject or "").startswith(PLACE_KIND):
            return None
        text, terms = self.question_terms(query.text or "")
        named, asked_place = {*self.subjects_in(text), *query.subjects}, asks_place(self.vocabulary, query.text or "")
        if others := beside_places(named, asked_place):  # (another subject named beside the place)
            again = self._search(query, limit, places_context=True)
            return again if answers_subject(again, others) else None
        named_topic = next((named for named, words in self.topic_terms.items() if words & set(terms)), None)
        wanted = context_topic(named, asked_place, named_topic, INTENT_TOPICS.get(query.intent or ""),
                               query.intent_confidence, decision.SURE_TOPIC)
        if wanted is None:
            return None
        again = self._search(query, limit, places_context=True)
        return again if answers_topic(again, wanted) else None

    def _search(self, query: Query, limit: int, *, places_context: bool = False) -> Result:
        """`search` (`places_context`: the places named are where the project will be, no subject):
        the question read in steps, any of which may answer it (question_steps.py), then its entries
        ranked and the answer decided."""
        question = self._read(query, places_context)  # (question_steps.py)
        return question if isinstance(question, Result) else self._answer(question, limit)

    def _answer(self, question: Question, limit: int) -> Result:
        """The entries ranked for a question read, and whether the best answers it clearly or close
        ones are worth a clarifying question (`decision`, `meanings`, `broad`)."""
        query, text, terms, subjects = question.query, question.text, question.terms, question.subjects
        wanted_facets, facet_name, topic, asked = question.wanted_facets, question.facet_name, question.topic, question.asked
        leftover, context, general = question.leftover, asked.context, asked.general
        hits = self._ranked(question)
        chosen = decision.chosen_option(hits, query.offered, subjects)
        if chosen is not None:
            return Result([chosen], confident=True, subject=chosen.entry.subject, facet=chosen.entry.facet)
        ranked, hits = hits, hits[:limit]
        if not hits:
            return Result()

        best = hits[0]
        best_terms = self.terms_of(best.entry)
        # an aspect and nothing else, of no subject, in no conversation ("quel est le délai ?",
        # "c koi les conditions ?"): its general entry answers it, or its entries are its meanings
        # (its other words generic, "ouvrir", "projet", or held by the aspect's general entry too:
        # "شحال خاص ديال الوثائق؟")
        alone = bool(wanted_facets) and not (subjects or context or general or query.context_subject)
        plain = [t for t in leftover if t not in self.business_terms and t not in self.qualifier_terms]
        only_aspect = alone and all(t in best_terms for t in plain)
        confident, unknown, named_elsewhere = self._confident(question, best, best_terms, only_aspect)
        telling = meanings.telling(plain, self.document_frequency, len(self.entries), self.qualifier_terms)
        options, close, confident = self._options(question, hits, ranked, best, confident, alone, plain, telling, unknown,
                                                  named_elsewhere)
        unasked = not (confident or options or subjects or context or general or query.context_subject or query.offered
                       or query.related or self.vocabulary.outside_found(text))
        if unasked and (one := meanings.one_subject(ranked, terms, self.held_terms, wanted_facets, lambda s: self.by_subject.get(s, []))):
            return Result([Hit(one, 50.0, ("named",))], confident=True, subject=one.subject, facet=one.facet)
        if unasked:  # a broad question of the NLU's topic, several of whose entries hold its words (broad.py)
            options = broad.options(ranked, topic, query.intent_confidence, telling, unknown, self.terms_of)
        kept = self._kept_overview(asked.kept, confident and not self._other_subject(best, asked.kept), options, wanted_facets)
        if kept is not None:
            return Result([Hit(kept, 50.0, ("context",))], confident=True, subject=kept.subject, facet=facet_name or kept.facet)
        return Result(
            hits=hits,
            confident=confident,
            ambiguous=len(options) > 1,
            subject=asked.asked_for if general and best.entry.id == general else best.entry.subject,
            facet=facet_name or best.entry.facet,
            options=[h.entry for h in options],
            asked=tuple(sorted(wanted_facets)),
            meanings=len(options) > 1 and options is not close,
        )

    def _ranked(self, question: Question) -> list[Hit]:
        """The entries ranked for a question read, without those it names only by what it does not ask."""
        query, text, terms, subjects = question.query, question.text, question.terms, question.subjects
        facets, wanted_facets, asked, topic = question.facets, question.wanted_facets, question.asked, question.topic
        aspect_answers, comparison_topic = question.aspect_answers, question.comparison_topic
        named_aspects, taxes_not_asked = question.named_aspects, question.taxes_not_asked
        hits = rank(self.entries, self.bm25.scores(self.scored_terms(text, terms, asked, aspect_answers)), asked, aspect_answers=aspect_answers, topic=topic,
                    intent_confidence=query.intent_confidence, limit=len(self.entries),
                    # "Quelles sociétés sont soumises à l'impôt sur les sociétés ?": "impôt" is the
                    # subject's name, not the tax aspect asked: which companies pay it, not its rates
                    aspect_lead=wanted_facets if query.context_facet else self._lead_facets(text, subjects) | named_aspects,
                    aspect_generals={f.general for f in facets if f.general},
                    comparison=self.vocabulary.topic_overviews.get(comparison_topic) if comparison_topic else None)
        # ("le maximum ?" is never an entry named by the minimum, unless its subject is named or the
        # conversation's: opposites.py)
        hits = [h for h in hits if (h.entry.subject in (*subjects, query.context_subject)
                                    or not opposed(terms, self.named_terms[h.entry.id]))
                and not self._outweighed(terms, h.entry) and h.entry.subject not in taxes_not_asked
                # (an `alone: business` aspect's general entry, "which taxes?", answers as that aspect only, not by its words)
                and (h.entry.id not in self.business_generals or {"aspect", "general", "context"} & set(h.reasons))]
        return hits

    def _confident(self, question: Question, best: Hit, best_terms: Counter[str],
                   only_aspect: bool) -> tuple[bool, list[str], bool]:
        """Whether the best entry answers the question clearly (decision.py, then the out-of-base
        evidence), with the question's words no entry holds and whether a name it shares with other
        subjects asks something else."""
        query, text, terms, subjects = question.query, question.text, question.terms, question.subjects
        wanted_facets, topic, asked, follow_up = question.wanted_facets, question.topic, question.asked, question.asked.follow_up
        covered = decision.coverage(terms, best_terms)
        # a follow-up answered in the conversation's subject ("ch7al katkhles had chahada?" after the
        # negative certificate): the NLU's topic for an elliptic message ("katkhles": a tax?) is no evidence against it
        in_conversation = asked.inherited or (follow_up and best.entry.subject is not None
                                              and best.entry.subject == query.context_subject)
        # (nor for an entry the previous answer offered as related: "واش خاصني نحط الفلوس فالبنكة؟" after
        # the SARL's capital, read as a currency question, is its capital deposit)
        in_conversation = in_conversation or best.entry.id in self.related_to(query.context_subject, query.context_facet)
        confident = decision.confident(
            best, terms, covered, query, None if in_conversation or self.creates_named_form(best, topic, terms) else topic,
            follow_up=follow_up,
            wanted_facets=wanted_facets, about_business=lambda: self.vocabulary.about_business(text, aspects=False),
            only_aspect=only_aspect,
        )
        # general evidence (#11): does the entry explain the question, as the NLU understood it?
        # (only with the NLU's parse: a search the action builds for a part carries a topic, no confidence)
        # (nor for a follow-up whose subject or aspect the conversation gave: "wach hadi katrje3?" after MDM Invest)
        if (confident and self.evidence and query.intent and query.intent_confidence > 0 and "context" not in best.reasons
                and not in_conversation):
            confident = self.explained(query, best, terms, best_terms, covered, text, follow_up)
        # a name several subjects share beside a word no entry holds asks something else (reading.py)
        unknown = [] if query.context_subject else meanings.unknown(terms, self.document_frequency, self.known_terms)
        named_elsewhere = len(subjects) == 1 and self.named_elsewhere(text, unknown, topic)
        confident = confident and not named_elsewhere
        return confident, unknown, named_elsewhere

    def _options(self, question: Question, hits: list[Hit], ranked: list[Hit], best: Hit, confident: bool, alone: bool,
                 plain: list[str], telling: list[str], unknown: list[str], named_elsewhere: bool) -> tuple[list[Hit], list[Hit], bool]:
        """The options worth a clarifying question: close hits equally named, or the meanings of an
        aspect asked alone or of the question's words (meanings.py); the close hits; and whether the
        best is confident after all (an aspect alone whose general entry is its only meaning)."""
        query, text, terms, subjects = question.query, question.text, question.terms, question.subjects
        wanted_facets, topic, aspect_answers = question.wanted_facets, question.topic, question.aspect_answers
        context, general = question.asked.context, question.asked.general
        options = decision.options(hits, query.context_subject, wanted_facets, topic if not (subjects or context) else None,
                                   query.intent_confidence, ranked)
        close = options  # (close hits equally named; the others below are the meanings of the question's words)
        if alone and not aspect_answers:
            options = meanings.of_aspect(options, ranked, wanted_facets, telling, self.terms_of, topic)
        elif alone and not (confident or options):  # (its general entry not sure enough: "ما هي الرسوم؟" unread)
            options = meanings.of_general_aspect(ranked, aspect_answers, wanted_facets, telling, self.terms_of)
        if not options and decision.strength(best) < 2 and not (subjects or context or general or query.context_subject):
            options = meanings.same_words(ranked, terms, self.terms_of, self.context_topics(None, query.context_facet),
                                          None if confident else self.held_terms)
        # an aspect asked in nothing but its words, its general entry its only meaning ("timeframe?" unread): that entry
        confident = confident or (alone and not (options or plain) and best.entry.id in aspect_answers and "aspect" in best.reasons)
        if not options and len(subjects) == 1 and not named_elsewhere:
            options = meanings.of_shared_name(ranked, self.vocabulary.find(text), wanted_facets, query.context_subject,
                                              telling, self.terms_of, self.context_topics(query.context_subject, query.context_facet))
        if options is not close and meanings.elsewhere(unknown, topic, {h.entry.topic for h in options}):
            options = []  # (nor the meanings of an aspect or words: "ما هي شروط الكفالة لطفل مهمل؟")
        return options, close, confident
