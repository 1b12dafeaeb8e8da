"""Retrieval over the knowledge base: intent + entities + BM25, across languages.

The search reads what a question names (subjects, aspects, a subject outside the base, the
conversation it continues: context.py), ranks the entries (ranking.py) and decides whether
the best one answers it or close ones are worth a clarifying question (decision.py; the meanings
of an aspect asked alone or of words several subjects share: meanings.py), the out-of-base
evidence (evidence.py; its checks of the best entry: answer_evidence.py) having the last word.
The tables it reads are built in index_tables.py; the answers given before any ranking when only
a topic is asked (its overview, the way from abroad) in overview_answers.py. The question's and
entries' words are in terms.py, the query and result types in query.py (re-exported here for
importers); the reading of the aspects and names a question holds in reading.py.
Pure Python: runs in the action server and in the benchmark alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from assistant.contract import INTENT_TOPICS
from assistant.kb import broad, decision, meanings
from assistant.kb.abroad import created_from_abroad
from assistant.kb.answer_evidence import AnswerEvidence
from assistant.kb.company_forms import paid_by_form, pays_own_way
from assistant.kb.context import (
    SHORT_TERMS,
    Asked,
    Conversation,
    asks_elsewhere,
    aspect_alone,
    circumstance,
    how_much_entry,
    in_context,
    in_place,
    own_terms,
    points_back,
    to_create,
)
from assistant.kb.opposites import opposed
from assistant.kb.others import asks_for_other, chosen_entry, named_option, named_other, other_options, placed_option
from assistant.kb.overview_answers import ABROAD_ASPECTS, OverviewAnswers
from assistant.kb.parts import continues, without_time_clause
from assistant.kb.places import PLACE_KIND, answers_topic, asks_place, context_topic, office_place, place_terms
from assistant.kb.query import Hit, Query, Result, subjects_from_entities
from assistant.kb.ranking import rank
from assistant.kb.schema import Entry
from assistant.kb.subject_entries import SubjectEntries
from assistant.kb.vocabulary_model import Vocabulary
from assistant.text import normalize

__all__ = ["KnowledgeIndex", "Query", "Result", "subjects_from_entities"]

#: the kind of subject a legal form is (legal_form:sarl)
LEGAL_FORM_KIND: Final = "legal_form:"


class KnowledgeIndex(OverviewAnswers, AnswerEvidence, SubjectEntries):
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

    def _moment(self, raw: str, text: str) -> set[str]:
        """The subjects named only in a clause saying when ("le certificat négatif avant d'aller chez le
        notaire", "wach khass l'ICE 9bel l'immatriculation?": parts.without_time_clause), when the rest
        names a subject of its own: the question's moment, not what it asks; none otherwise."""
        if (rest := without_time_clause(raw)) == normalize(raw):
            return set()
        strip = self.vocabulary.facet_table.strip
        kept = set(self.subjects_in(strip(self.question_terms(rest)[0], min_terms=2)))
        return set(self.subjects_in(strip(text, min_terms=2))) - kept if kept else set()

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
        named_topic = next((named for named, words in self.topic_terms.items() if words & set(terms)), None)
        wanted = context_topic({*self.subjects_in(text), *query.subjects}, asks_place(self.vocabulary, query.text or ""),
                               named_topic, INTENT_TOPICS.get(query.intent or ""), query.intent_confidence, decision.SURE_TOPIC)
        if wanted is None:
            return None
        again = self._search(query, limit, places_context=True)
        return again if answers_topic(again, wanted) else None

    def _search(self, query: Query, limit: int, *, places_context: bool = False) -> Result:
        """`search` (`places_context`: the places named are where the project will be, no subject)."""
        # a button pressed, "the second one" after a clarifying question, "et l'autre ?" (others.py)
        if (picked := query.entry_id or placed_option(query.text or "", query.offered)) in self.by_id:
            return chosen_entry(self.by_id[picked or ""])
        alternatives = [self.by_id[i] for i in query.alternatives if i in self.by_id]
        if alternatives and asks_for_other(query.text or ""):
            return other_options(alternatives)

        text, terms = self.question_terms(query.text or "")
        # a clause saying when names the moment, not what is asked, when the rest names a subject: the rest is searched
        if moment := self._moment(query.text or "", text):
            text, terms = self.question_terms(without_time_clause(query.text or ""))
        if (option := named_option(query.offered, self.by_id, terms, self.named_terms)) is not None:
            return chosen_entry(option)  # "المحمدية" after the two foundations (others.py)
        if circumstance(query.context_subject, query.context_facet, text, self.facets_of):
            query = replace(query, context_subject=None)  # a place named beside the aspect answered (context.py)
        answered = [e for e in self.entries if query.context_subject and e.subject == query.context_subject]
        if alternatives and (other := named_other(alternatives, terms, self.terms_of, answered)) is not None:
            return chosen_entry(other)  # "et le fonds ?" after the foundation, the fund offered with it
        # an aspect of several words is not a place ("version jdida" is not El Jadida)
        named_text = self.vocabulary.facet_table.strip(text, min_terms=2)
        # (nor is an entry's own name: "ch7al kayakhod notaire" names the notary's fees)
        own, owned = self.own_entries(text)
        # (and a subject two of its words name together, "how do i change the gérant of my SARL", whose
        # part changed names no subject asked: "transférer le siège social" is no question on the office)
        together, changed = self.vocabulary.named_together(text)
        changed_subjects = {s for part in changed for s in self.subjects_in(part)} - set(together)
        in_words = list(dict.fromkeys([*self.subjects_in(named_text), *owned, *together]))
        inside_aspects = set(self.subjects_in(text)) - set(in_words)
        subjects = [s for s in dict.fromkeys([*(s for s in query.subjects if s not in inside_aspects), *in_words])
                    if s not in changed_subjects]
        known = {e.subject for e in self.entries if e.subject}
        subjects = [s for s in subjects if s in known and s not in moment]
        if places_context:  # (their names no word of the question either: places.py)
            subjects = [s for s in subjects if not s.startswith(PLACE_KIND)]
            terms = [t for t in terms if t not in place_terms(self.vocabulary, text)]
        # out-of-base detection: a subject no entry covers ("visa", "héritage"), unless the
        # question also names one of ours outside those words (reading.py)
        if (outside := self.outside_topic(text)) is not None:
            return Result(outside=outside)
        # a place alone ("quel temps à Agadir", "louer une voiture à Casa") is not a question
        # about investing there: answer only if the question also speaks of a business; an
        # aspect alone does not ("prix d'un appartement à Tanger" is not about a project)
        only_places = bool(subjects) and all(s.startswith("region:") for s in subjects)
        if only_places and not query.context_subject and not self.vocabulary.about_business(text, aspects=False):
            # ("is it the same in Tangier?" after the creation steps: the steps there)
            there = in_place(query.context_facet, self._leftover(terms, text), self.vocabulary, self.by_id.keys())
            # (a place named alone, nothing else said nor asked before: "agadir ?", "طنجة؟" is its region and its CRI)
            alone = not (query.context_facet or query.offered or self._leftover(terms, text)) and len(subjects) == 1
            there = there or next((e.id for e in self.by_subject.get(subjects[0], []) if e.facet == "overview"), None) if alone else there
            return chosen_entry(self.by_id[there]) if there else Result()
        facets = self._aspects_asked(text, terms if query.context_facet else (), query.context_subject)
        named_aspects: set[str] = set()
        if not query.context_subject or len(terms) <= SHORT_TERMS:
            subjects, facets, named_aspects = self._name_or_aspect(text, subjects, facets, query.context_subject)
            facets = sorted(facets, key=lambda f: not set(f.selects) & named_aspects)  # what the answer is about
        # the CRI with a place, named or the conversation's, no aspect asked: the place's entry (places.py)
        if not facets and (office := office_place(subjects, query.context_subject)) and (place := self._overview_of(office)):
            return Result([Hit(place, 50.0, ("subject",))], confident=True, subject=place.subject, facet=place.facet)
        # a legal form to create named beside the subject of another entry, with no aspect ("wach khass
        # ndir chi comptable bach nftah sarl?"): the other subject is asked, the legal form is what it
        # is for (not with a place, which qualifies the legal form: "n7el sarl f nador"; nor without
        # creating: "chnahowa statut auto-entrepreneur?" asks what the status is)
        others = [s for s in subjects if not s.startswith((LEGAL_FORM_KIND, "region:"))]
        if ((not facets and others and len(others) < len(subjects) and set(terms) & self.creating_terms
                and not any(s.startswith("region:") for s in subjects)) or self.done_to_form(subjects, others, in_words, facets, terms)
                or paid_by_form(subjects, others, in_words, {f for x in facets for f in x.selects}, self.facets_of)):
            subjects = others
        # (a legal form with its own entry for the aspect, beside a tax: not the tax's entry, company_forms.py)
        taxes_not_asked = set(others) if pays_own_way(subjects, others, in_words, {f for x in facets for f in x.selects},
                                                      self.facets_of) else set()
        # an aspect's general entry named beside a subject having its own entry for the aspect
        # ("الوراق اللي خاصني باش نحل صارل", "الوثائق المطلوبة" after the SARL): the aspect, not a subject
        owner = query.context_subject if len(terms) <= SHORT_TERMS or query.intent == "follow_up" else None
        subjects = self._without_general_subjects(subjects, facets, owner)
        if query.context_subject and len(terms) <= SHORT_TERMS:
            subjects = self.aspect_names_in_context(text, terms, subjects, facets, query.context_subject)
        abroad = [ABROAD_ASPECTS[f.name] for f in facets if f.name in ABROAD_ASPECTS and query.abroad and not subjects] or (
            created_from_abroad(query.abroad, text, subjects, [f.name for f in facets], terms, self._leftover(terms, text), self.creating_terms))
        facets = [*(self.vocabulary.facets[name] for name in abroad if name in self.vocabulary.facets), *facets]
        wanted_facets = {f for facet in facets for f in facet.selects}
        facet_name = facets[0].name if facets else None
        own = self.own_aspects(own, subjects)
        if own and not any(wanted_facets & self.facets_of.get(s, set()) for s in subjects):
            # an entry named by its own name, no aspect asked that its subject has an entry for: its aspect is
            # ("wat is domiciliation?", "domiciliation dyal la société ch7al katkhelles?": no fees entry of its own)
            wanted_facets, facet_name = {e.facet for e in own}, own[0].facet
        topic = INTENT_TOPICS.get(query.intent or "")
        # a place beside another subject qualifies it ("une SARL à Casa" is about the SARL), unless
        # the NLU reads a question about regions ("le CRI de Tanger")
        places = [s for s in subjects if s.startswith("region:")]
        others = [s for s in subjects if not s.startswith("region:")]
        if places and others and topic != "regions" and not query.context_subject:
            subjects = others
        # words that name neither a subject nor an aspect ("actionnaires", "max", "subvention")
        leftover = self._leftover(terms, text)
        conversation = Conversation(query.context_subject, query.context_facet, query.intent, points_back(text),
                                    general=query.context_subject in self.general_subjects, continued=continues(query.text or ""),
                                    elsewhere=asks_elsewhere(text), named=self.named_aspect.get(query.context_subject or ""),
                                    others=self.names_other(leftover, query.context_subject))
        # a bare "how much?" after an answer stating no amount: what it costs (context.py)
        if not (subjects or facets) and (costs := how_much_entry(
                text, leftover, conversation, self.by_subject.get(query.context_subject or "", []),
                self.vocabulary, self.by_id)):
            return Result([Hit(self.by_id[costs], 50.0, ("context",))], confident=True,
                          subject=self.by_id[costs].subject, facet=self.by_id[costs].facet)
        # a short message continues the previous answer (assistant/kb/context.py)
        asked = to_create(in_context(
            # ("the same" is no word of its own: "is it the same for an SA?" after the SARL's capital asks the SA's)
            Asked(subjects, wanted_facets, facet_name), [f.name for f in facets], bool(own_terms(leftover)), len(terms),
            conversation, self.facets_of, self.vocabulary, self.by_id.keys(), self.mentions,
        ), leftover, self.creating_terms, text)  # ("je veux créer une sarl": the SARL's overview)
        subjects, wanted_facets, facet_name = asked.subjects, asked.facets, asked.facet_name
        context, general, follow_up = asked.context, asked.general, asked.follow_up
        # an aspect a subject has no entry for, which its answers do not speak of, and an outside topic is
        # that subject's side for ("والضرائب؟" after buying land): who knows, not the subject's entry again
        unspoken = ({f.name for f in facets} or {facet_name or ""}) - {a for s in subjects for a in self.mentions.get(s, set())}
        if asked.overview and (side := self.vocabulary.side_asked(subjects, unspoken)) is not None:
            return Result(outside=side)

        # an aspect asked of no subject ("quels documents pour ouvrir une société ?", "do I need a
        # residence card?"): its general entry answers it in general
        # (one speaking of a business, with no word but business words and its own: "what taxes will i
        # pay?", not "what taxes do i pay on my apartment?"; `alone: business` in facets.yml; a qualifier
        # is no word of its own: "chno homa dara2ib li ghadi nkhelles?")
        unexplained = set(leftover) - self.business_terms - self.qualifier_terms
        aspect_answers = ({f.general for f in facets if f.general and f.alone and not (
            f.business and unexplained - set(self.terms_of(self.by_id[f.general])))} if not (subjects or context or general) else set())
        # (not when the NLU reads no question it knows: "ما هي الرسوم؟" then asks which fees)
        if query.intent != "nlu_fallback" and (own_aspect := aspect_alone(text, aspect_answers, len(facets), leftover, query.context_subject, self.by_id)) is not None:
            lexical = self.bm25.scores(terms)[self.position[own_aspect]]  # (its words: a part of a two-part question)
            return Result([Hit(self.by_id[own_aspect], 50.0, ("aspect",), lexical)], confident=True,
                          subject=self.by_id[own_aspect].subject, facet=self.by_id[own_aspect].facet)

        # "SARL, SA ou SAS ?", "chno ahsan statut?": a comparison, which a topic's overview answers (reading.py)
        comparison_topic = self.compared_topic(subjects, wanted_facets)
        overview = self.overview_answer(query, terms, leftover, subjects, facets, wanted_facets, follow_up, topic, comparison_topic)
        if overview is not None:
            return overview

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
        options = decision.options(hits, query.context_subject, wanted_facets, topic if not (subjects or context) else None,
                                   query.intent_confidence, ranked)
        telling = meanings.telling(plain, self.document_frequency, len(self.entries), self.qualifier_terms)
        close = options  # (close hits equally named; the others below are the meanings of the question's words)
        if alone and not aspect_answers:
            options = meanings.of_aspect(options, ranked, wanted_facets, telling, self.terms_of, topic)
        elif alone and not (confident or options):  # (its general entry not sure enough: "ما هي الرسوم؟" unread)
            options = meanings.of_general_aspect(ranked, aspect_answers, wanted_facets, telling, self.terms_of)
        if not options and decision.strength(best) < 2 and not (subjects or context or general or query.context_subject):
            options = meanings.same_words(ranked, terms, self.terms_of, self.context_topics(None, query.context_facet),
                                          None if confident else self.held_terms)
        if not options and len(subjects) == 1 and not named_elsewhere:
            options = meanings.of_shared_name(ranked, self.vocabulary.find(text), wanted_facets, query.context_subject,
                                              telling, self.terms_of, self.context_topics(query.context_subject, query.context_facet))
        if options is not close and meanings.elsewhere(unknown, topic, {h.entry.topic for h in options}):
            options = []  # (nor the meanings of an aspect or words: "ما هي شروط الكفالة لطفل مهمل؟")
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
