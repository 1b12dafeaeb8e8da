"""Retrieval over the knowledge base: intent + entities + BM25, across languages.

The search reads what a question names (subjects, aspects, a subject outside the base, the
conversation it continues: context.py), ranks the entries (ranking.py) and decides whether
the best one answers it or close ones are worth a clarifying question (decision.py; the meanings
of an aspect asked alone or of words several subjects share: meanings.py), the out-of-base
evidence (evidence.py) having the last word. The question's and entries' words
are in terms.py, the query and result types in query.py (re-exported here for importers); the
reading of the aspects and names a question holds in reading.py.
Pure Python: runs in the action server and in the benchmark alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from assistant.contract import INTENT_TOPICS
from assistant.kb import decision, meanings
from assistant.kb.bm25 import BM25
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
from assistant.kb.evidence import NearBase, weigh
from assistant.kb.examples import NearestExamples, learnt_evidence
from assistant.kb.opposites import named_terms, opposed
from assistant.kb.others import asks_for_other, chosen_entry, named_option, named_other, other_options, placed_option
from assistant.kb.parts import continues
from assistant.kb.phrases import PLACE_ENTITIES, Phrase, PhraseTable
from assistant.kb.query import Hit, Query, Result, subjects_from_entities
from assistant.kb.ranking import rank
from assistant.kb.reading import QuestionReading, own_phrases, whole_name
from assistant.kb.schema import Entry
from assistant.kb.spelling import SpellingCorrector
from assistant.kb.subject_entries import SubjectEntries
from assistant.kb.terms import STOPWORDS, content_terms, entry_terms, question_terms
from assistant.kb.vocabulary_model import Vocabulary
from assistant.languages import VARIETIES
from assistant.text import search_terms

__all__ = ["KnowledgeIndex", "Query", "Result", "subjects_from_entities"]

#: Asked by someone who said they live abroad, with no subject, these aspects ask about residence
#: ("ana sakna f almania, wach n9der nftah charika?": whether one can, from abroad).
ABROAD_ASPECTS: Final = {"eligibility": "residence"}

#: the kind of subject a legal form is (legal_form:sarl)
LEGAL_FORM_KIND: Final = "legal_form:"

#: A question made only of generic business words answers with the topic's overview when the
#: NLU is this sure of the topic.
VAGUE_CONFIDENCE: Final = 0.9


class KnowledgeIndex(QuestionReading, SubjectEntries):
    """The searchable knowledge base (rebuilt when a new version is loaded)."""

    def __init__(self, entries: Sequence[Entry], vocabulary: Vocabulary, version: int | None = None,
                 *, evidence: bool = True, learnt: bool = True, examples: bool = True) -> None:
        self.evidence = evidence  # refuse answers the general out-of-base evidence rejects (evidence.py)
        # and those its learnt part rejects (NearBase; off: the search alone, as before session 21)
        self.learnt = learnt
        self.examples = examples  # and those closer to a near-base question (examples.py)
        self._near_base: NearBase | None = None
        self._nearest: NearestExamples | None = None
        self.entries = list(entries)
        self.by_id = {e.id: e for e in self.entries}
        self.position = {e.id: i for i, e in enumerate(self.entries)}
        self.facets_of: dict[str, set[str]] = {}  # subject -> the facets of its entries
        self.mentions: dict[str, set[str]] = {}  # subject -> the aspects its entries' answers speak of
        for entry in self.entries:
            if entry.subject:
                self.facets_of.setdefault(entry.subject, set()).add(entry.facet)
                self.mentions.setdefault(entry.subject, set()).update(
                    f.name for text in entry.answer.values() for f in vocabulary.facets_in(text))
        self.vocabulary = vocabulary
        self.own_table = PhraseTable(own_phrases(self.entries, vocabulary))
        # entries' own phrases of several words holding an aspect's word ("income tax", "الضريبة على
        # الدخل": keywords of which companies pay corporate tax): inside them the word is no aspect asked
        self.aspect_phrases: dict[tuple[str, ...], set[str]] = {}
        own: list[Phrase] = []
        for entry in self.entries:
            for words in [*entry.keywords.values(), *entry.synonyms.values()]:
                for word in words:
                    if len(key := tuple(search_terms(word))) > 1 and vocabulary.facet_table.find(word):
                        self.aspect_phrases.setdefault(key, set()).add(entry.id)
                        own.append(Phrase("entry", entry.id, word))
        self.aspect_phrase_table = PhraseTable(own)
        # subjects whose whole name is an aspect's word ("CNSS": the social cover)
        self.named_aspect = {f"{p.entity}:{p.value}": found.value for p in vocabulary.phrases
                             for found in vocabulary.facet_table.find(p.text) if whole_name(found.text, p.text)}
        # subjects of the entries answering an aspect in general (the creation time, its steps):
        # a conversation about one of them is about creating a company in general
        # (not a general answer only for subjects: which tax a company pays is no creation topic)
        generals = [self.by_id.get(f.general or "") for f in vocabulary.facets.values() if f.alone]
        self.general_subjects = {g.subject for g in generals if g is not None and g.subject}
        self.business_generals = {f.general for f in vocabulary.facets.values() if f.business}
        self.named_terms = {e.id: named_terms(e) for e in self.entries}  # titles and synonyms (opposites.py)
        self.held_terms = {e.id: named_terms(e, keywords=True) for e in self.entries}  # and keywords
        self.by_subject: dict[str, list[Entry]] = {}  # subject -> its entries (read per ranked hit)
        for entry in self.entries:
            if entry.subject:
                self.by_subject.setdefault(entry.subject, []).append(entry)
        # (in the varieties its answer is written in: a Darija keyword, "كيعطيو", is no evidence against a
        # subject whose entries have no Darija text to hold it: reading.names_other)
        self.entry_names = {e.id: [n for v in e.answer for w in [*e.keywords.get(v, []), *e.synonyms.get(v, [])]
                                   if (n := tuple(content_terms(w)))] for e in self.entries}
        self.version = version
        self.bm25 = BM25([entry_terms(e) for e in self.entries])
        self.document_frequency: Counter[str] = Counter()
        for tf in self.bm25.tf:
            self.document_frequency.update(tf.keys())
        frequencies = Counter(self.document_frequency)
        for phrase in [*vocabulary.phrases, *vocabulary.facet_phrases, *vocabulary.outside_phrases, *vocabulary.business_phrases]:
            frequencies.update(search_terms(phrase.text))
        # words of the subjects, aspects and business phrases the base knows (out-of-base evidence)
        self.phrase_terms = {t for p in [*vocabulary.phrases, *vocabulary.facet_phrases, *vocabulary.business_phrases]
                             for t in search_terms(p.text)}
        # generic words of starting a business ("ouvrir", "projet", "nftah", "mchro3"): a question
        # made only of them asks about the whole topic
        self.business_terms = {t for p in vocabulary.business_phrases for t in search_terms(p.text)}
        self.topic_terms = {topic: {t for w in words for t in search_terms(w)} for topic, words in vocabulary.topic_words.items()}
        self.creating_terms = {t for w in vocabulary.abroad_words for t in search_terms(w)}  # topics.yml `abroad`
        self.audience_terms = {t for w in vocabulary.audience_words for t in search_terms(w)}  # topics.yml `audience`
        # (the topics', audience's and creating words are known as written: "مساعدات" is no plural to undo)
        self.spelling = SpellingCorrector(frequencies, extra_known={*STOPWORDS, *self.creating_terms, *self.audience_terms,
                                                                    *(t for words in self.topic_terms.values() for t in words)})
        self.qualifier_terms = {t for word in meanings.qualifiers() for t in self.question_terms(word)[1]}
        self.bare_aspects = {bare: f.name for f in vocabulary.facets.values() for w in f.bare if (bare := tuple(self.question_terms(w)[1]))}
        self.known_terms = {*self.phrase_terms, *self.business_terms, *self.creating_terms, *self.audience_terms,
                            *self.qualifier_terms, *STOPWORDS}  # words of the base beside its entries' (meanings.unknown)
        # what entries are about (each title, synonym or keyword, as its words): a subject listed as
        # outside the base stops being outside once one of them holds its words (a published draft);
        # words found in different names of an entry do not ("الكريدي ديال الدار", a home loan, is
        # not "كريدي من البانكا" and "دار المقاول" of the bank offers)
        self.covered_terms = [
            terms
            for e in self.entries
            for v in VARIETIES
            for text in [e.title.get(v, ""), *e.synonyms.get(v, []), *e.keywords.get(v, [])]
            if (terms := set(content_terms(text)))
        ]

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

    def warm(self) -> KnowledgeIndex:
        """Builds the parts built when first used (the learnt evidence), so the first question
        after a load does not pay for them (~3 s)."""
        _ = self.near_base
        return self

    def question_terms(self, text: str) -> tuple[str, list[str]]:
        """The normalised, spell-corrected text and its content terms (terms.question_terms)."""
        return question_terms(text, self.spelling)

    def terms_of(self, entry: Entry) -> Counter[str]:
        """An entry's indexed terms and their counts."""
        return self.bm25.tf[self.position[entry.id]]

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def search(self, query: Query, limit: int = 3) -> Result:
        # a button pressed, "the second one" after a clarifying question, "et l'autre ?" (others.py)
        if (picked := query.entry_id or placed_option(query.text or "", query.offered)) in self.by_id:
            return chosen_entry(self.by_id[picked or ""])
        alternatives = [self.by_id[i] for i in query.alternatives if i in self.by_id]
        if alternatives and asks_for_other(query.text or ""):
            return other_options(alternatives)

        text, terms = self.question_terms(query.text or "")
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
        in_words = list(dict.fromkeys([*self.subjects_in(named_text), *owned]))
        inside_aspects = set(self.subjects_in(text)) - set(in_words)
        subjects = list(dict.fromkeys([*(s for s in query.subjects if s not in inside_aspects), *in_words]))
        known = {e.subject for e in self.entries if e.subject}
        subjects = [s for s in subjects if s in known]
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
            return chosen_entry(self.by_id[there]) if there else Result()
        facets = self._aspects_asked(text, terms if query.context_facet else (), query.context_subject)
        named_aspects: set[str] = set()
        if not query.context_subject or len(terms) <= SHORT_TERMS:
            subjects, facets, named_aspects = self._name_or_aspect(text, subjects, facets, query.context_subject)
            facets = sorted(facets, key=lambda f: not set(f.selects) & named_aspects)  # what the answer is about
        # a legal form to create named beside the subject of another entry, with no aspect ("wach khass
        # ndir chi comptable bach nftah sarl?"): the other subject is asked, the legal form is what it
        # is for (not with a place, which qualifies the legal form: "n7el sarl f nador"; nor without
        # creating: "chnahowa statut auto-entrepreneur?" asks what the status is)
        others = [s for s in subjects if not s.startswith((LEGAL_FORM_KIND, "region:"))]
        if ((not facets and others and len(others) < len(subjects) and set(terms) & self.creating_terms
                and not any(s.startswith("region:") for s in subjects)) or self.done_to_form(subjects, others, in_words, facets, terms)):
            subjects = others
        # an aspect's general entry named beside a subject having its own entry for the aspect
        # ("الوراق اللي خاصني باش نحل صارل", "الوثائق المطلوبة" after the SARL): the aspect, not a subject
        owner = query.context_subject if len(terms) <= SHORT_TERMS or query.intent == "follow_up" else None
        subjects = self._without_general_subjects(subjects, facets, owner)
        if query.context_subject and len(terms) <= SHORT_TERMS:
            subjects = self.aspect_names_in_context(text, terms, subjects, facets, query.context_subject)
        abroad = [ABROAD_ASPECTS[f.name] for f in facets if f.name in ABROAD_ASPECTS and query.abroad and not subjects]
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

        # only the topic is known (a topic button, or a vague question: "bghit nftah chi mchro3"
        # with the NLU sure it asks about creating)
        business_only = bool(terms) and set(terms) <= self.business_terms and not wanted_facets and not follow_up
        vague = business_only and query.intent_confidence >= VAGUE_CONFIDENCE
        # ... and from someone who said they live abroad, the way to do it from abroad, whatever
        # the NLU's confidence: the words alone say it ("je vis en Belgique et je voudrais créer
        # une entreprise"), also when it asks whether they can ("wach n9der nftah charika?")
        from_abroad = self.by_id.get(self.vocabulary.abroad_overview or "")
        # (also a follow-up saying only where one lives, in a conversation about creating: "w ila kont
        # sakn f fransa?", "and if i live in canada?" after the creation steps or the SARL)
        from_home = follow_up and query.abroad and self.creating_conversation(query.context_subject, query.context_facet)
        creating_only = set(leftover) <= self.creating_terms and ((bool(leftover) and not follow_up) or from_home)
        if (creating_only and query.abroad and (not subjects or (from_home and subjects == [query.context_subject])) and from_abroad
                and {f.name for f in facets} <= {*ABROAD_ASPECTS, *ABROAD_ASPECTS.values()}
                and (topic is None or topic in self.vocabulary.abroad_topics)):
            return Result([Hit(from_abroad, 50.0, ("abroad",))], confident=True, subject=from_abroad.subject, facet=from_abroad.facet)
        # a word of a topic among them names the topic, however unsure the NLU ("quelles aides pour
        # créer mon entreprise ?": financing)
        named_topic = next((named for named, words in self.topic_terms.items() if words & set(terms)), None)
        # (nor a word of the options of a clarifying question, "invest" after "MDM Invest or MDM Tamwil?")
        overview_topic = (named_topic or topic) if not query.offered else None
        # (a word of a topic beside only words of whom the base serves and of starting a business:
        # "هل هناك تمويل للمغاربة المقيمين بالخارج؟" is the financing overview, not MDM Tamwil's name)
        # (also following up on another topic: "w kayn chi da3m l mre?" after the SARL, "et il y a des aides ?")
        elsewhere = named_topic not in self.context_topics(query.context_subject, query.context_facet)
        business_only = business_only or bool(named_topic and not wanted_facets and (not follow_up or elsewhere)
                                              and set(terms) <= self.business_terms | self.audience_terms | self.qualifier_terms
                                              | self.topic_terms[named_topic])
        # "SARL, SA ou SAS ?", "chno ahsan statut?": a comparison, which a topic's overview answers (reading.py)
        comparison_topic = self.compared_topic(subjects, wanted_facets)
        best_of = not follow_up and self.best_asked(leftover, subjects, wanted_facets, topic)
        # ("chno a7sen liya sarl wla auto entrepreneur?": which of those compared is best, their topic's overview)
        compared = comparison_topic if not follow_up and set(leftover) & self.comparing_terms and comparison_topic != "regions" else None
        # (an aspect alone, "ch7al kayakhod?", is asked of no topic: its entries answer it)
        if (((((not terms and not wanted_facets) or vague or (business_only and named_topic)) and not subjects) or best_of) and overview_topic) or compared:
            overview = self.by_id.get(self.vocabulary.topic_overviews.get(compared or (topic if best_of else None) or overview_topic or "", ""))
            if overview:
                return Result([Hit(overview, 50.0, ("topic",))], confident=True, subject=overview.subject, facet=overview.facet)

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
                and not self._outweighed(terms, h.entry)
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
                                           and self.nearest.closer_to_near(terms, best_terms))
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
        if not (confident or options or subjects or context or general or query.context_subject or query.offered or query.related
                or self.vocabulary.outside_found(text)) and (
                one := meanings.one_subject(ranked, terms, self.held_terms, wanted_facets, lambda s: self.by_subject.get(s, []))):
            return Result([Hit(one, 50.0, ("named",))], confident=True, subject=one.subject, facet=one.facet)
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
