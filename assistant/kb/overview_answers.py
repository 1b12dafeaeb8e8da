"""The answers a question gets before any ranking when only its topic is known: the topic's
overview for a vague question, a comparison or which is best, and the way to do it from abroad for
someone who said they live abroad. A mixin of the KnowledgeIndex (search.py), which reads the
question first (what it names, its aspects, the conversation it continues).
"""

from __future__ import annotations

from typing import Final

from assistant.kb.aspect_reading import AspectReading
from assistant.kb.index_tables import IndexTables
from assistant.kb.query import Hit, Query, Result
from assistant.kb.vocabulary_model import Facet

#: Asked by someone who said they live abroad, with no subject, these aspects ask about residence
#: ("ana sakna f almania, wach n9der nftah charika?": whether one can, from abroad).
ABROAD_ASPECTS: Final = {"eligibility": "residence"}

#: Aspects a loan sought for one's project may ask, still of the whole topic ("can i get a loan…?").
SEEKING_ASPECTS: Final = frozenset({"eligibility"})

#: A question made only of generic business words answers with the topic's overview when the
#: NLU is this sure of the topic.
VAGUE_CONFIDENCE: Final = 0.9


class OverviewAnswers(AspectReading, IndexTables):
    """The topic-level answers of the KnowledgeIndex."""

    def overview_answer(self, query: Query, terms: list[str], leftover: list[str], subjects: list[str], facets: list[Facet],
                        wanted_facets: set[str], follow_up: bool, topic: str | None, comparison_topic: str | None) -> Result | None:
        """The topic's overview or the from-abroad entry when the question asks only its topic;
        None when it asks more (the search ranks the entries then)."""
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
        # (or beside a word of starting a business: "a loan for my project"; "القرض؟" alone asks which loan)
        beside = next((named for named, words in self.topic_terms_beside.items()
                       if words & set(terms) and (set(terms) - words) & self.business_terms), None)
        named_topic = named_topic or beside
        # (with words of seeking it and what for, and whether one can: "can i get a loan to start my business",
        # "bghit kridi bach nbda projet")
        seeking = self.seeking_terms if beside and named_topic == beside else set()
        asked_facets = wanted_facets - SEEKING_ASPECTS if seeking else wanted_facets
        # (nor a word of the options of a clarifying question, "invest" after "MDM Invest or MDM Tamwil?")
        overview_topic = (named_topic or topic) if not query.offered else None
        # (a word of a topic beside only words of whom the base serves and of starting a business:
        # "هل هناك تمويل للمغاربة المقيمين بالخارج؟" is the financing overview, not MDM Tamwil's name)
        # (also following up on another topic: "w kayn chi da3m l mre?" after the SARL, "et il y a des aides ?")
        elsewhere = named_topic not in self.context_topics(query.context_subject, query.context_facet)
        business_only = business_only or bool(named_topic and not asked_facets and (not follow_up or elsewhere)
                                              and set(terms) <= self.business_terms | self.audience_terms | self.qualifier_terms | seeking
                                              | self.topic_terms.get(named_topic, set()) | self.topic_terms_beside.get(named_topic, set()))
        best_of = not follow_up and self.best_asked(leftover, subjects, wanted_facets, topic)
        # ("chno a7sen liya sarl wla auto entrepreneur?": which of those compared is best, their topic's overview)
        compared = comparison_topic if not follow_up and set(leftover) & self.comparing_terms and comparison_topic != "regions" else None
        # (an aspect alone, "ch7al kayakhod?", is asked of no topic: its entries answer it)
        if (((((not terms and not wanted_facets) or vague or (business_only and named_topic)) and not subjects) or best_of) and overview_topic) or compared:
            overview = self.by_id.get(self.vocabulary.topic_overviews.get(compared or (topic if best_of else None) or overview_topic or "", ""))
            if overview:
                return Result([Hit(overview, 50.0, ("topic",))], confident=True, subject=overview.subject, facet=overview.facet)
        return None
