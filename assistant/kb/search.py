"""Retrieval over the knowledge base: intent + entities + BM25, across languages.

Each entry is indexed once with the text of every variety (fr, ar, en, Darija,
Arabizi), normalised and lightly stemmed, so a question in any of them finds it.
The ranking adds, to BM25:
- the entry's subject named in the question (entities from the NLU pattern
  extractor, or found here in the text), the strongest signal;
- the aspect asked about (capital, tax, fees, eligibility…: `vocabulary/facets.yml`);
- the predicted intent's topic;
- for follow-ups ("et pour une SA ?"), the previous answer's subject and facet.
Pure Python: runs in the action server and in the benchmark alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import yaml

from assistant.contract import INTENT_TOPICS, SUBJECT_TYPES
from assistant.kb.bm25 import BM25
from assistant.kb.context import Asked, Conversation, in_context, points_back
from assistant.kb.evidence import NearBase, base_questions, near_questions, nlu_questions, short_texts, weigh
from assistant.kb.parts import expand_acronyms, without_rejected
from assistant.kb.schema import Entry
from assistant.kb.spelling import SpellingCorrector
from assistant.kb.vocabulary import OutsideTopic, Vocabulary
from assistant.languages import VARIETIES
from assistant.text import normalize, search_terms

# Function words of every variety (data: stopwords.yml), normalised like the question's terms.
STOPWORDS: Final = frozenset(
    search_terms(yaml.safe_load(Path(__file__).with_name("stopwords.yml").read_text(encoding="utf-8"))["words"])
)


#: Reasons of a hit that say the question named what it answers (a subject, the conversation's
#: subject, a comparison, or an aspect whose general entry answers it for the subject named).
NAMED: Final = frozenset({"subject", "comparison", "context", "general"})

#: Asked by someone who said they live abroad, with no subject, these aspects ask about residence
#: ("ana sakna f almania, wach n9der nftah charika?": whether one can, from abroad).
ABROAD_ASPECTS: Final = {"eligibility": "residence"}

#: "As for" in Arabic script, which stems like "النسبة" (the rate): dropped before searching.
AS_FOR: Final = frozenset({"بالنسبه", "بالنسبة", "وبالنسبه", "وبالنسبة"})


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

    @property
    def best(self) -> Hit | None:
        return self.hits[0] if self.hits else None

    @property
    def worth_asking(self) -> bool:
        """Close options that all hold the aspect asked ("quel est le taux ?": VAT or corporate
        tax): a clarifying question, even when no single entry is a confident answer."""
        return self.ambiguous and bool(self.asked) and all(o.facet in self.asked for o in self.options)


# Field weights: a field's terms are repeated this many times in the indexed document.
FIELD_WEIGHTS: Final = {"synonyms": 3, "keywords": 3, "title": 2, "questions": 2, "answer": 1}


def entry_terms(entry: Entry) -> list[str]:
    terms: list[str] = []
    for variety in VARIETIES:
        parts = {
            "synonyms": entry.synonyms.get(variety, []),
            "keywords": entry.keywords.get(variety, []),
            "questions": entry.questions.get(variety, []),
            "title": [entry.title[variety]] if variety in entry.title else [],
            "answer": [entry.answer[variety]] if variety in entry.answer else [],
        }
        for name, texts in parts.items():
            words = [t for text in texts for t in search_terms(text) if t not in STOPWORDS]
            terms += words * FIELD_WEIGHTS[name]
    return terms


def content_terms(text: str) -> list[str]:
    return [t for t in search_terms(text) if t not in STOPWORDS]


class KnowledgeIndex:
    """The searchable knowledge base (rebuilt when a new version is loaded)."""

    # weights of the ranking signals, relative to BM25 scores
    SUBJECT_BONUS: Final = 8.0
    FACET_BONUS: Final = 4.0
    OVERVIEW_BONUS: Final = 1.0
    TOPIC_BONUS: Final = 2.0
    # an answer without a named subject needs this much lexical evidence
    MIN_BM25: Final = 6.0
    VAGUE_CONFIDENCE: Final = 0.9
    MIN_COVERAGE: Final = 0.5
    # strong lexical matches or intent-confirmed ones still need this share of the words
    MIN_WEAK_COVERAGE: Final = 0.34
    CLOSE_RATIO: Final = 0.85
    COMPARISON_BONUS: Final = 10.0
    CONTEXT_BONUS: Final = 4.0  # the conversation's subject, for a follow-up with words of its own
    # the NLU's topic disagrees with the best entry's (see search())
    DISAGREE_CONFIDENCE: Final = 0.9
    DISAGREE_COVERAGE: Final = 0.3
    SURE_TOPIC: Final = 0.8  # the NLU's topic confirms an entry

    def __init__(self, entries: Sequence[Entry], vocabulary: Vocabulary, version: int | None = None,
                 *, evidence: bool = True, learnt: bool = True) -> None:
        self.evidence = evidence  # refuse answers the general out-of-base evidence rejects (evidence.py)
        # and those its learnt part rejects (NearBase; off: the search alone, as before session 21)
        self.learnt = learnt
        self._near_base: NearBase | None = None
        self.entries = list(entries)
        self.by_id = {e.id: e for e in self.entries}
        self.facets_of: dict[str, set[str]] = {}  # subject -> the facets of its entries
        for entry in self.entries:
            if entry.subject:
                self.facets_of.setdefault(entry.subject, set()).add(entry.facet)
        self.vocabulary = vocabulary
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
        self.spelling = SpellingCorrector(frequencies, extra_known=STOPWORDS)
        # words entries are about (titles, synonyms, keywords): a subject listed as outside
        # the base stops being outside once an entry covers it (a published draft)
        self.covered_terms = [
            {
                t
                for v in VARIETIES
                for text in [e.title.get(v, ""), *e.synonyms.get(v, []), *e.keywords.get(v, [])]
                for t in content_terms(text)
            }
            for e in self.entries
        ]

    @property
    def near_base(self) -> NearBase:
        """The learnt out-of-base evidence (#11): the entries' words vs those of questions near
        the base, built when first used."""
        if self._near_base is None:
            self._near_base = NearBase([*map(content_terms, short_texts(self.entries)),
                                        *(self.question_terms(text)[1] for text in nlu_questions()),
                                        *(self.question_terms(q["text"])[1] for q in base_questions())],
                                       [self.question_terms(text)[1] for text in near_questions()])
        return self._near_base

    def question_terms(self, text: str) -> tuple[str, list[str]]:
        """The normalised text with typos and phone spellings corrected (unknown terms become
        the known term one edit away; "بالنسبة ل", as for, is not "النسبة", the rate), and
        its content terms."""
        plain = " ".join(w for w in without_rejected(normalize(expand_acronyms(text))).split() if w not in AS_FOR)
        corrected = " ".join(self.spelling.correct_terms(search_terms(plain)))
        return corrected, content_terms(corrected)

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)

    def subjects_in(self, text: str) -> list[str]:
        """Subjects named in a text (also used when the NLU entities are not available)."""
        subjects: list[str] = []
        for phrase in self.vocabulary.find(text):
            if phrase.entity == "city":
                region = self.vocabulary.city_region.get(phrase.value)
                subject = f"region:{region}" if region else None
            else:
                subject = f"{phrase.entity}:{phrase.value}"
            if subject and subject not in subjects:
                subjects.append(subject)
        return subjects

    def search(self, query: Query, limit: int = 3) -> Result:
        if query.entry_id and query.entry_id in self.by_id:
            entry = self.by_id[query.entry_id]
            return Result([Hit(entry, 100.0, ("chosen",))], confident=True, subject=entry.subject, facet=entry.facet)

        text, terms = self.question_terms(query.text or "")
        # an aspect of several words is not a place ("version jdida" is not El Jadida)
        named_text = self.vocabulary.facet_table.strip(text, min_terms=2)
        in_words = self.subjects_in(named_text)
        inside_aspects = set(self.subjects_in(text)) - set(in_words)
        subjects = list(dict.fromkeys([*(s for s in query.subjects if s not in inside_aspects), *in_words]))
        known = {e.subject for e in self.entries if e.subject}
        subjects = [s for s in subjects if s in known]
        # out-of-base detection: a subject no entry covers ("visa", "héritage"), unless the
        # question also names one of ours outside those words ("driving licence" is not a
        # business licence; a place does not make a question ours)
        outside = [
            self.vocabulary.outside[p.value]
            for p in self.vocabulary.outside_table.find(text)
            if not any(set(content_terms(p.text)) <= covered for covered in self.covered_terms)
        ]
        if outside:
            rest = self.vocabulary.outside_table.strip(text)
            if all(s.startswith("region:") for s in self.subjects_in(rest)):
                return Result(outside=outside[0])
        # a place alone ("quel temps à Agadir", "louer une voiture à Casa") is not a question
        # about investing there: answer only if the question also speaks of a business; an
        # aspect alone does not ("prix d'un appartement à Tanger" is not about a project)
        only_places = bool(subjects) and all(s.startswith("region:") for s in subjects)
        if only_places and not query.context_subject and not self.vocabulary.about_business(text, aspects=False):
            return Result()
        facets = self.vocabulary.facets_in(text)
        abroad = [ABROAD_ASPECTS[f.name] for f in facets if f.name in ABROAD_ASPECTS and query.abroad and not subjects]
        facets = [*(self.vocabulary.facets[name] for name in abroad if name in self.vocabulary.facets), *facets]
        wanted_facets = {f for facet in facets for f in facet.selects}
        facet_name = facets[0].name if facets else None
        topic = INTENT_TOPICS.get(query.intent or "")
        # a place beside another subject qualifies it ("une SARL à Casa" is about the SARL), unless
        # the NLU reads a question about regions ("le CRI de Tanger")
        places = [s for s in subjects if s.startswith("region:")]
        others = [s for s in subjects if not s.startswith("region:")]
        if places and others and topic != "regions" and not query.context_subject:
            subjects = others
        # words that name neither a subject nor an aspect ("actionnaires", "max", "subvention")
        leftover = self._leftover(terms, text)
        # a short message continues the previous answer (assistant/kb/context.py)
        asked = in_context(
            Asked(subjects, wanted_facets, facet_name), [f.name for f in facets], bool(leftover), len(terms),
            Conversation(query.context_subject, query.context_facet, query.intent, points_back(text)),
            self.facets_of, self.vocabulary, self.by_id.keys(),
        )
        subjects, wanted_facets, facet_name = asked.subjects, asked.facets, asked.facet_name
        context, general, follow_up = asked.context, asked.general, asked.follow_up

        # an aspect asked of no subject ("quels documents pour ouvrir une société ?", "do I need a
        # residence card?"): its general entry answers it in general
        aspect_answers = {f.general for f in facets if f.general} if not (subjects or context or general) else set()

        # only the topic is known (a topic button, or a vague question: "bghit nftah chi mchro3"
        # with the NLU sure it asks about creating)
        vague = (
            bool(terms) and set(terms) <= self.business_terms and not wanted_facets and not follow_up
            and query.intent_confidence >= self.VAGUE_CONFIDENCE
        )
        if (not terms or vague) and not subjects and topic:
            overview = self.by_id.get(self.vocabulary.topic_overviews[topic])
            if overview:
                return Result([Hit(overview, 50.0, ("topic",))], confident=True, subject=overview.subject, facet=overview.facet)

        # "SARL, SA ou SAS ?": several subjects of one kind and no aspect is a comparison,
        # which the topic's overview answers
        comparison_topic = None
        kinds = {subject.split(":", 1)[0] for subject in subjects}
        if len(subjects) >= 2 and len(kinds) == 1 and not wanted_facets:
            comparison_topic = next((e.topic for e in self.entries if e.subject == subjects[0]), None)

        bm = self.bm25.scores(terms)
        hits: list[Hit] = []
        for entry, lexical in zip(self.entries, bm, strict=True):
            score, reasons = lexical, ["bm25"]
            if entry.id == general:
                score += self.SUBJECT_BONUS + self.FACET_BONUS
                reasons += ["general", "facet"]
            elif entry.subject and entry.subject in subjects:
                score += self.SUBJECT_BONUS
                reasons.append("subject")
                if entry.facet in wanted_facets:
                    score += self.FACET_BONUS
                    reasons.append("facet")
                elif not wanted_facets and entry.facet == "overview":
                    score += self.OVERVIEW_BONUS
            elif context and entry.subject == context:
                score += self.CONTEXT_BONUS + (self.OVERVIEW_BONUS if entry.facet == "overview" else 0.0)
                reasons.append("context")
            elif entry.id in aspect_answers:
                score += self.FACET_BONUS
                reasons.append("aspect")
            elif entry.facet in wanted_facets and not subjects:
                score += self.FACET_BONUS / 2
            if topic and entry.topic == topic:
                score += self.TOPIC_BONUS * max(query.intent_confidence, 0.5)
                reasons.append("topic")
            if comparison_topic and entry.subject is None and entry.id == self.vocabulary.topic_overviews.get(comparison_topic):
                score += self.COMPARISON_BONUS
                reasons.append("comparison")
            if score > 0:
                hits.append(Hit(entry, round(score, 3), tuple(reasons), lexical))
        hits.sort(key=lambda h: (-h.score, h.entry.id))
        hits = hits[:limit]
        if not hits:
            return Result()

        best = hits[0]
        # so did a question naming an aspect of no subject, answered by the aspect's general entry
        # in the topic the NLU is sure of ("ana sakna f almania, wach n9der nftah charika?")
        named = bool(NAMED & set(best.reasons)) or (
            {"aspect", "topic"} <= set(best.reasons) and query.intent_confidence >= self.SURE_TOPIC
        )
        # without a named subject, answer only on clear lexical evidence: most of the
        # question's words found, or a strong match, or one the intent's topic confirms
        coverage = self._coverage(terms, best.entry)
        # a question of one or two words ("c quoi les étapes ?", "et le délai ?" after the SARL)
        # cannot reach MIN_BM25: all its words in the entry suffice when the NLU's topic confirms
        # it, or in a follow-up whose word is no aspect the conversation's subject lacks ("et les
        # documents ?" after the SARL AU is not the SA's documents)
        short = (
            len(set(terms)) <= 2
            and coverage >= 1.0
            and best.lexical >= self.MIN_BM25 / 2
            and ((follow_up and not wanted_facets) or ("topic" in best.reasons and query.intent_confidence >= 0.8))
        )
        confident = named or short or (
            best.lexical >= self.MIN_BM25
            and (
                coverage >= self.MIN_COVERAGE
                or (
                    coverage >= self.MIN_WEAK_COVERAGE
                    and (
                        best.lexical >= 2 * self.MIN_BM25
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
        if confident and topic and best.entry.topic != topic and "context" not in best.reasons:
            sure = query.intent_confidence >= self.DISAGREE_CONFIDENCE
            # an aspect named in a question about a business ("quels papiers pour ouvrir une société")
            # names what the entry answers; "papiers pour un permis de construire" does not
            aspect = "aspect" in best.reasons and self.vocabulary.about_business(text, aspects=False)
            if not (named or aspect) or (sure and coverage < self.DISAGREE_COVERAGE):
                confident = False
        # general evidence (#11): does the entry explain the question, as the NLU understood it?
        # (only with the NLU's parse: a search the action builds for a part carries a topic, no confidence)
        if confident and self.evidence and query.intent and query.intent_confidence > 0 and "context" not in best.reasons:
            confident = weigh(terms, self.bm25.tf[self.entries.index(best.entry)], self.phrase_terms,
                              self.document_frequency, len(self.entries), query.intent, query.intent_confidence
                              ).explains and (not self.learnt or self.near_base.answers(terms))
        options = self._competing(hits, query.context_subject)
        if options and self._strength(best) < 2 and not (wanted_facets and all(h.entry.facet in wanted_facets for h in options)):
            # neither a subject nor a shared aspect was named: close word counts are not two
            # meanings of the question, the best entry answers it
            options = []
        return Result(
            hits=hits,
            confident=confident,
            ambiguous=len(options) > 1,
            subject=asked.asked_for if general and best.entry.id == general else best.entry.subject,
            facet=facet_name or best.entry.facet,
            options=[h.entry for h in options],
            asked=tuple(sorted(wanted_facets)),
        )

    def _competing(self, hits: list[Hit], context_subject: str | None) -> list[Hit]:
        """The hits worth a clarifying question: close in score, of different subjects, and
        equally well named. A question naming a subject and an aspect is answered directly, and
        so is one naming several subjects (a comparison, or both parts of a two-subject
        question); options stay in the best answer's topic or the conversation's subject."""
        best = hits[0]
        if "comparison" in best.reasons:
            return []  # "SARL, SA ou SAS ?": the topic's overview compares them
        strength = self._strength(best)
        close = [
            h for h in hits[1:]
            if h.score >= self.CLOSE_RATIO * best.score
            and h.entry.subject != best.entry.subject
            and self._strength(h) >= strength
            and (h.entry.topic == best.entry.topic or (context_subject and h.entry.subject == context_subject))
        ]
        if close and "subject" in best.reasons and all("subject" in h.reasons for h in close):
            return []  # every subject was named ("capital SARL w SA ?"): each is answered, none asked about
        return [best, *close] if close else []

    @staticmethod
    def _strength(hit: Hit) -> int:
        """How explicitly a hit was asked for: subject and aspect named, subject only, neither."""
        named = bool(NAMED & set(hit.reasons))
        return 2 * named + ("facet" in hit.reasons)

    def _leftover(self, terms: list[str], text: str) -> list[str]:
        """Content terms that are not part of a subject or aspect phrase."""
        covered: set[str] = set()
        for phrase in [*self.vocabulary.find(text), *self.vocabulary.facet_table.find(text)]:
            covered.update(search_terms(phrase.text))
        return [t for t in terms if t not in covered]

    def _coverage(self, terms: list[str], entry: Entry) -> float:
        """Share of the question's words that the entry contains: a question whose main
        words the knowledge base has never seen ("visa Schengen") is not answered."""
        unique = list(dict.fromkeys(terms))
        if not unique:
            return 0.0
        tf = self.bm25.tf[self.entries.index(entry)]
        return sum(1 for t in unique if t in tf) / len(unique)
