"""The search's reading of a question, step by step, before any entry is ranked: the option a
message chooses, the words it searches (a clause saying when left out), the subjects and aspects it
names and asks, the conversation it continues. A step may find the answer on the way (an outside
topic, a place alone, an aspect's general entry, the topic's overview); otherwise the question as
read (`Question`) goes to the ranking and the decision (search.py). A mixin of the KnowledgeIndex,
apart so that the search's pipeline reads as its steps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from assistant.contract import INTENT_TOPICS
from assistant.kb import meanings
from assistant.kb.abroad import created_from_abroad
from assistant.kb.company_forms import paid_by_form, pays_own_way
from assistant.kb.context import (
    LEGAL_FORM_KIND,
    SHORT_TERMS,
    Asked,
    Conversation,
    asks_elsewhere,
    aspect_alone,
    bare_amount,
    circumstance,
    how_much_entry,
    in_context,
    in_place,
    own_terms,
    points_back,
    to_create,
)
from assistant.kb.others import asks_for_other, chosen_entry, named_option, named_other, other_options, placed_option
from assistant.kb.overview_answers import ABROAD_ASPECTS, OverviewAnswers
from assistant.kb.parts import continues, without_time_clause
from assistant.kb.phrases import PLACE_ENTITIES
from assistant.kb.places import PLACE_KIND, office_place, place_terms
from assistant.kb.query import Hit, Query, Result
from assistant.kb.schema import Entry
from assistant.kb.subject_entries import SubjectEntries
from assistant.kb.vocabulary_model import Facet
from assistant.text import normalize


@dataclass(frozen=True)
class Question:
    """A question as the reading steps leave it to the ranking and the decision (search.py)."""

    query: Query  # (without the conversation's subject when it was a place, a circumstance: context.py)
    text: str  # normalised and spell-corrected
    terms: list[str]
    leftover: list[str]  # words that name neither a subject nor an aspect
    subjects: list[str]  # the subjects asked, named or the conversation's
    facets: list[Facet]  # the aspects asked
    wanted_facets: set[str]  # the entry facets they select
    facet_name: str | None  # the first aspect's name
    named_aspects: set[str]  # the entry facets of an aspect a subject's name is, which lead
    asked: Asked  # what is asked once the conversation is read (context.py)
    topic: str | None  # the NLU's
    aspect_answers: set[str]  # the general entries answering an aspect asked of no subject
    comparison_topic: str | None  # the topic whose overview answers a comparison
    taxes_not_asked: set[str]  # taxes named beside a legal form that has its own entry for the aspect


class QuestionSteps(OverviewAnswers, SubjectEntries):
    """The reading steps of the KnowledgeIndex's search."""

    def _read(self, query: Query, places_context: bool) -> Question | Result:
        """The question as the ranking needs it (`places_context`: the places named are where the
        project will be, no subject), or its answer when a step finds it on the way."""
        alternatives = [self.by_id[i] for i in query.alternatives if i in self.by_id]
        if (chosen := self._option_chosen(query, alternatives)) is not None:
            return chosen
        text, terms, moment = self._question_text(query)
        if (option := named_option(query.offered, self.by_id, terms, self.named_terms)) is not None:
            return chosen_entry(option)  # "المحمدية" after the two foundations (others.py)
        if circumstance(query.context_subject, query.context_facet, text, self.facets_of):
            query = replace(query, context_subject=None)  # a place named beside the aspect answered (context.py)
        if (other := self._other_named(query, alternatives, terms)) is not None:
            return other
        subjects, in_words, own, terms = self._subjects_named(query, text, terms, moment, places_context)
        # out-of-base detection: a subject no entry covers ("visa", "héritage"), unless the
        # question also names one of ours outside those words (reading.py)
        if (outside := self.outside_topic(text)) is not None:
            return Result(outside=outside)
        if (places := self._places_alone(query, text, terms, subjects)) is not None:
            return places
        subjects, facets, named_aspects = self._aspects_named(query, text, terms, subjects)
        # the CRI with a place, named or the conversation's, no aspect asked: the place's entry (places.py)
        if not facets and (office := office_place(subjects, query.context_subject)) and (place := self._overview_of(office)):
            return Result([Hit(place, 50.0, ("subject",))], confident=True, subject=place.subject, facet=place.facet)
        subjects, taxes_not_asked = self._subjects_asked(query, text, terms, subjects, in_words, facets)
        facets, wanted_facets, facet_name = self._aspects_wanted(query, text, terms, subjects, facets, own)
        topic = INTENT_TOPICS.get(query.intent or "")
        subjects = self._places_qualifying(query, subjects, topic)
        # words that name neither a subject nor an aspect ("actionnaires", "max", "subvention")
        leftover = self._leftover(terms, text)
        conversation = self._conversation(query, text, leftover)
        # a follow-up naming another subject in its own words, no registered name ("et pour le compte
        # bancaire ?" after the SARL: the company's bank account, not the SARL's capital; renamed.py)
        if not subjects and (len(terms) <= SHORT_TERMS or query.intent == "follow_up") and (
                renamed := self.renamed(own_terms(leftover), query.context_subject, query.context_facet)):
            subjects = [renamed]
        # a bare "how much?" after an answer stating no amount: what it costs (context.py)
        if not (subjects or facets) and (costs := how_much_entry(
                text, leftover, conversation, self.by_subject.get(query.context_subject or "", []),
                self.vocabulary, self.by_id)):
            return Result([Hit(self.by_id[costs], 50.0, ("context",))], confident=True,
                          subject=self.by_id[costs].subject, facet=self.by_id[costs].facet)
        # a bare "how much?" opening a conversation, no word of what ("le plafond ?", "the minimum?"): what creating
        # costs or a company's capital (meanings.py)
        if not (subjects or facets or query.context_subject or query.context_facet or query.offered or query.related) and bare_amount(
                text, leftover) and meanings.generic(leftover, self.document_frequency, len(self.entries)) and (
                amounts := meanings.of_amount(self.entries, self.vocabulary.facets.get(meanings.AMOUNT_ASPECT))):
            return Result([Hit(e, 50.0, ("aspect",)) for e in amounts], ambiguous=True, options=amounts, meanings=True)
        asked = self._asked(query, text, terms, subjects, facets, wanted_facets, facet_name, leftover, conversation)
        subjects, wanted_facets, facet_name = asked.subjects, asked.facets, asked.facet_name
        context, general, follow_up = asked.context, asked.general, asked.follow_up
        if (side := self._side_asked(asked, subjects, facets, facet_name)) is not None:
            return side
        aspect_answers = self._aspect_answers(leftover, subjects, facets, context, general)
        if (aspect := self._aspect_alone(query, text, terms, facets, leftover, aspect_answers)) is not None:
            return aspect

        # "SARL, SA ou SAS ?", "chno ahsan statut?": a comparison, which a topic's overview answers (reading.py)
        comparison_topic = self.compared_topic(subjects, wanted_facets)
        overview = self.overview_answer(query, terms, leftover, subjects, facets, wanted_facets, follow_up, topic, comparison_topic)
        if overview is not None:
            return overview
        return Question(query, text, terms, leftover, subjects, facets, wanted_facets, facet_name, named_aspects,
                        asked, topic, aspect_answers, comparison_topic, taxes_not_asked)

    def _option_chosen(self, query: Query, alternatives: list[Entry]) -> Result | None:
        """The entry a message chooses among those just offered, before reading anything else."""
        # a button pressed, "the second one" after a clarifying question, "et l'autre ?" (others.py)
        if (picked := query.entry_id or placed_option(query.text or "", query.offered)) in self.by_id:
            return chosen_entry(self.by_id[picked or ""])
        if alternatives and asks_for_other(query.text or ""):
            return other_options(alternatives)
        return None

    def _moment(self, raw: str, text: str) -> set[str]:
        """The subjects named only in a clause saying when ("le certificat négatif avant d'aller chez le
        notaire", "wach khass l'ICE 9bel l'immatriculation?": parts.without_time_clause), when the rest
        names a subject of its own: the question's moment, not what it asks; none otherwise."""
        if (rest := without_time_clause(raw)) == normalize(raw):
            return set()
        strip = self.vocabulary.facet_table.strip
        kept = set(self.subjects_in(strip(self.question_terms(rest)[0], min_terms=2)))
        return set(self.subjects_in(strip(text, min_terms=2))) - kept if kept else set()

    def _question_text(self, query: Query) -> tuple[str, list[str], set[str]]:
        """The question's normalised text and terms, and the subjects named only in a clause saying
        when (`_moment`), which are then left out of what is searched."""
        text, terms = self.question_terms(query.text or "")
        # a clause saying when names the moment, not what is asked, when the rest names a subject: the rest is searched
        if moment := self._moment(query.text or "", text):
            text, terms = self.question_terms(without_time_clause(query.text or ""))
        return text, terms, moment

    def _other_named(self, query: Query, alternatives: list[Entry], terms: list[str]) -> Result | None:
        """The other option of a clarifying question that a follow-up names (others.py)."""
        answered = [e for e in self.entries if query.context_subject and e.subject == query.context_subject]
        if alternatives and (other := named_other(alternatives, terms, self.terms_of, answered)) is not None:
            return chosen_entry(other)  # "et le fonds ?" after the foundation, the fund offered with it
        return None

    def _subjects_named(self, query: Query, text: str, terms: list[str], moment: set[str],
                        places_context: bool) -> tuple[list[str], list[str], list[Entry], list[str]]:
        """The subjects a question names (the NLU's entities and its words), those its words name
        (`in_words`), the entries it names by their own name, and its terms (without the places' when
        they are only where the project will be)."""
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
        # (nor is a subject whose name the text holds only inside another subject's name: "les statuts ديال
        # SARL" names the statutes, whatever the NLU reads of "SARL"; a place is always a place)
        inside_aspects |= {f"{p.entity}:{p.value}" for p in self.vocabulary.subjects.inside(text)
                           if p.entity not in PLACE_ENTITIES} - set(in_words)
        subjects = [s for s in dict.fromkeys([*(s for s in query.subjects if s not in inside_aspects), *in_words])
                    if s not in changed_subjects]
        known = {e.subject for e in self.entries if e.subject}
        subjects = [s for s in subjects if s in known and s not in moment]
        if places_context:  # (their names no word of the question either: places.py)
            subjects = [s for s in subjects if not s.startswith(PLACE_KIND)]
            terms = [t for t in terms if t not in place_terms(self.vocabulary, text)]
        return subjects, in_words, own, terms

    def _places_alone(self, query: Query, text: str, terms: list[str], subjects: list[str]) -> Result | None:
        """The answer to a question naming only places, no business (None when it names more)."""
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
        return None

    def _aspects_named(self, query: Query, text: str, terms: list[str],
                       subjects: list[str]) -> tuple[list[str], list[Facet], set[str]]:
        """The aspects a question asks, its subjects once a word that is both a name and an aspect is
        read (aspect_reading.py), and the entry facets of the aspects so named, which lead."""
        # (a bare tax word is read as in a conversation after any answer, also after one saying the subject is
        # out of the base, which leaves no aspect: "et les impôts ?" after opening a pharmacy asks which taxes, all of them)
        in_talk = bool(query.context_facet) or query.after_outside
        facets = self._aspects_asked(text, terms if in_talk else (), query.context_subject)
        named_aspects: set[str] = set()
        if not query.context_subject or len(terms) <= SHORT_TERMS:
            subjects, facets, named_aspects = self._name_or_aspect(text, subjects, facets, query.context_subject)
            facets = sorted(facets, key=lambda f: not set(f.selects) & named_aspects)  # what the answer is about
        return subjects, facets, named_aspects

    def _subjects_asked(self, query: Query, text: str, terms: list[str], subjects: list[str], in_words: list[str],
                        facets: list[Facet]) -> tuple[list[str], set[str]]:
        """The subjects asked among those named (a legal form, a tax or an aspect's general entry may
        only qualify another), and the taxes named that are not asked."""
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
        return subjects, taxes_not_asked

    def _aspects_wanted(self, query: Query, text: str, terms: list[str], subjects: list[str], facets: list[Facet],
                        own: list[Entry]) -> tuple[list[Facet], set[str], str | None]:
        """The aspects asked (with those from abroad, for someone living abroad), the entry facets
        they select and the first one's name; an entry named by its own name gives its aspect."""
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
        return facets, wanted_facets, facet_name

    def _places_qualifying(self, query: Query, subjects: list[str], topic: str | None) -> list[str]:
        """`subjects` without the places that only qualify another subject named."""
        # a place beside another subject qualifies it ("une SARL à Casa" is about the SARL), unless
        # the NLU reads a question about regions ("le CRI de Tanger")
        places = [s for s in subjects if s.startswith("region:")]
        others = [s for s in subjects if not s.startswith("region:")]
        if places and others and topic != "regions" and not query.context_subject:
            subjects = others
        return subjects

    def _conversation(self, query: Query, text: str, leftover: list[str]) -> Conversation:
        """The previous answer a question may continue, and how the question reads against it (context.py)."""
        conversation = Conversation(query.context_subject, query.context_facet, query.intent, points_back(text),
                                    general=query.context_subject in self.general_subjects, continued=continues(query.text or ""),
                                    elsewhere=asks_elsewhere(text), named=self.named_aspect.get(query.context_subject or ""),
                                    others=self.names_other(leftover, query.context_subject))
        return conversation

    def _asked(self, query: Query, text: str, terms: list[str], subjects: list[str], facets: list[Facet],
               wanted_facets: set[str], facet_name: str | None, leftover: list[str], conversation: Conversation) -> Asked:
        """What a question asks once read in the conversation it continues (context.py)."""
        # a short message continues the previous answer (assistant/kb/context.py)
        asked = to_create(in_context(
            # ("the same" is no word of its own: "is it the same for an SA?" after the SARL's capital asks the SA's)
            Asked(subjects, wanted_facets, facet_name), [f.name for f in facets], bool(own_terms(leftover)), len(terms),
            conversation, self.facets_of, self.vocabulary, self.by_id.keys(), self.mentions,
        ), leftover, self.creating_terms, text)  # ("je veux créer une sarl": the SARL's overview)
        return asked

    def _side_asked(self, asked: Asked, subjects: list[str], facets: list[Facet], facet_name: str | None) -> Result | None:
        """The outside topic an aspect asked of a subject is, when no entry of the subject speaks of it."""
        # an aspect a subject has no entry for, which its answers do not speak of, and an outside topic is
        # that subject's side for ("والضرائب؟" after buying land): who knows, not the subject's entry again
        unspoken = ({f.name for f in facets} or {facet_name or ""}) - {a for s in subjects for a in self.mentions.get(s, set())}
        if asked.overview and (side := self.vocabulary.side_asked(subjects, unspoken)) is not None:
            return Result(outside=side)
        return None

    def _aspect_answers(self, leftover: list[str], subjects: list[str], facets: list[Facet], context: str | None,
                        general: str | None) -> set[str]:
        """The general entries of the aspects asked of no subject, in no conversation."""
        # an aspect asked of no subject ("quels documents pour ouvrir une société ?", "do I need a
        # residence card?"): its general entry answers it in general
        # (one speaking of a business, with no word but business words and its own: "what taxes will i
        # pay?", not "what taxes do i pay on my apartment?"; `alone: business` in facets.yml; a qualifier
        # is no word of its own: "chno homa dara2ib li ghadi nkhelles?")
        unexplained = set(leftover) - self.business_terms - self.qualifier_terms
        aspect_answers = ({f.general for f in facets if f.general and f.alone and not (
            f.business and unexplained - set(self.terms_of(self.by_id[f.general])))} if not (subjects or context or general) else set())
        return aspect_answers

    def _aspect_alone(self, query: Query, text: str, terms: list[str], facets: list[Facet], leftover: list[str],
                      aspect_answers: set[str]) -> Result | None:
        """The general entry of an aspect asked alone, when it answers the question."""
        # (not when the NLU reads no question it knows: "ما هي الرسوم؟" then asks which fees)
        if query.intent != "nlu_fallback" and (own_aspect := aspect_alone(text, aspect_answers, len(facets), leftover, query.context_subject, self.by_id)) is not None:
            lexical = self.bm25.scores(terms)[self.position[own_aspect]]  # (its words: a part of a two-part question)
            return Result([Hit(self.by_id[own_aspect], 50.0, ("aspect",), lexical)], confident=True,
                          subject=self.by_id[own_aspect].subject, facet=self.by_id[own_aspect].facet)
        return None
