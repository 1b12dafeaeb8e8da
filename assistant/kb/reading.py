"""What a question names, read against the vocabulary and the entries: the subjects (a place's
region, a procedure named before a legal form), a subject outside the base, the entries named by
their own phrases, the topics compared or of the conversation, another subject a follow-up names,
and the words left over. A mixin of the KnowledgeIndex (search.py), which builds the tables these
read (the entries' facets per subject, their own phrases); the aspects a question asks of what it
names are read in aspect_reading.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Sequence
from functools import cache, cached_property
from pathlib import Path

import yaml

from assistant.kb import meanings
from assistant.kb.company_forms import LooseProcedures
from assistant.kb.context import Asked, aspect_of
from assistant.kb.linkers import LinkedNames
from assistant.kb.meanings import GENERIC_SHARE
from assistant.kb.phrases import PLACE_ENTITIES, Phrase, PhraseTable, home_terms
from assistant.kb.query import Hit
from assistant.kb.renamed import renamed_subject, subject_names
from assistant.kb.schema import Entry
from assistant.kb.script_spellings import arabic_spelled
from assistant.kb.short import quantity_terms
from assistant.kb.terms import STOPWORDS, content_terms
from assistant.kb.vocabulary_model import OutsideTopic, Vocabulary
from assistant.lexicon import raw_entries
from assistant.text import search_terms


def own_phrases(entries: Collection[Entry], vocabulary: Vocabulary) -> list[Phrase]:
    """The phrases that name an entry rather than ask the aspect a word of theirs is, as
    Phrase(kind, entry id, words), kind `name` for a synonym (naming its subject too), `keyword`
    otherwise:
    - a synonym no other entry holds, of an entry other than its subject's overview, the subject
      having one ("frais de notaire", "domiciliataire": the notary's fees, the domiciliation, not
      the ways of creating nor the registered office);
    - a synonym or keyword longer than a whole aspect of several words it holds ("ch7al kayakhod
      notaire" holds "ch7al kayakhod", how long: the notary's fees; "capital social bloqué", "who
      pays corporate tax": the capital deposit, who pays it)."""
    holders: dict[tuple[str, ...], set[str]] = {}
    for entry in entries:
        for words in entry.synonyms.values() if entry.subject else ():
            for word in words:
                holders.setdefault(tuple(search_terms(word)), set()).add(entry.id)
    overviews = {e.subject for e in entries if e.subject and e.facet == "overview"}
    phrases: list[Phrase] = []
    for kind in ("name", "keyword"):  # (a name first: a phrase both names its subject)
        for entry in entries:
            lists = entry.keywords if kind == "keyword" else entry.synonyms if entry.subject else {}
            for word in (w for words in lists.values() for w in words):
                key = tuple(search_terms(word))
                only = holders.get(key, set()) == {entry.id} and entry.facet != "overview" and entry.subject in overviews
                if (kind == "name" and only) or any(1 < len(search_terms(f.text)) < len(key) for f in vocabulary.facet_table.find(word)):
                    phrases.append(Phrase(kind, entry.id, word))
    return phrases


#: A word naming another entry in a follow-up (`names_other`) has at least this many letters.
MIN_NAME_CHARS = 3


@cache
def ways() -> frozenset[str]:
    """The procedures that are a way of doing something, not something done to a company (`ways.yml`)."""
    return frozenset(yaml.safe_load(Path(__file__).with_name("ways.yml").read_text(encoding="utf-8"))["ways"])


class QuestionReading:
    """The question-reading helpers of the KnowledgeIndex (the attributes are set by its constructor)."""

    vocabulary: Vocabulary
    by_id: dict[str, Entry]
    facets_of: dict[str, set[str]]
    general_subjects: set[str]
    named_aspect: dict[str, str]  # subject -> the aspect its whole name is a word of ("CNSS": social)
    bare_aspects: dict[tuple[str, ...], str]  # a message's whole terms -> the aspect they ask (facets.yml `bare`)
    aspect_phrases: dict[tuple[str, ...], set[str]]
    aspect_phrase_table: PhraseTable
    own_table: PhraseTable
    covered_terms: list[set[str]]
    entries: list[Entry]
    by_subject: dict[str, list[Entry]]
    business_terms: set[str]
    creating_terms: set[str]
    document_frequency: Counter[str]

    terms_of: Callable[[Entry], Counter[str]]
    entry_names: dict[str, list[tuple[str, ...]]]  # entry id -> its keywords' and synonyms' terms (fr, ar, en)

    def outside_topic(self, text: str) -> OutsideTopic | None:
        """The subject no entry covers that a text asks about ("visa", "héritage"; a subject listed
        as outside stops being so once an entry's title, synonyms or keywords hold its words), unless
        the text also names one of ours outside its words: "driving licence" is not a business
        licence. A place does not make a question ours, nor does an aspect's general entry named by
        the aspect's words ("الوثائق المطلوبة لتجديد جواز السفر": the documents for a passport), nor a
        subject the topic is a side of ("la CNSS rembourse les lunettes ?": refunds of medical costs)."""
        opened = self.opened_terms(text)
        outside = [
            self.vocabulary.outside[p.value] for p in self.vocabulary.outside_found(text)
            if not any(set(content_terms(p.text)) <= covered for covered in self.covered_terms)
            and not (opened and set(search_terms(p.text)) <= opened)
        ]
        if not outside:
            return None
        named = self.subjects_in(self.vocabulary.outside_table.strip(text))
        # (a side's words beside a business's, naming none of the subjects it is a side of, are the
        # business's: "ouvrir un magasin de lunettes")
        # (not the asker's own company: "licencier un salarié de ma société" is still labour law)
        if any(topic.sides_of and not topic.sides_of & set(named) for topic in outside) and any(
                not set(search_terms(p.text)) <= home_terms() and not self.vocabulary.company_table.names(p.text)
                for p in self.vocabulary.business_table.find(text)):
            outside = [topic for topic in outside if not topic.sides_of or topic.sides_of & set(named)]
        aside = self.general_subjects | {s for topic in outside for s in topic.sides_of}
        return outside[0] if outside and all(s.startswith("region:") or s in aside for s in named) else None

    @cached_property
    def comparing_terms(self) -> set[str]:
        """The words asking which is best (`assistant/words/conversation.yml`, `comparing`)."""
        return {t for word in raw_entries("conversation", "comparing") for t in search_terms(word)}

    def compared_topic(self, subjects: list[str], aspects: Collection[str]) -> str | None:
        """The topic whose overview answers a comparison: "SARL, SA ou SAS ?" (several subjects of one
        kind, no aspect: their topic)."""
        if aspects or len(subjects) < 2 or len({s.split(":", 1)[0] for s in subjects}) > 1:
            return None
        return next((e.topic for e in self.by_subject.get(subjects[0], [])), None)

    def best_asked(self, leftover: Collection[str], subjects: list[str], aspects: Collection[str], topic: str | None) -> bool:
        """Whether which is best is asked with a name of another topic's subject than the one the NLU
        reads, nothing else and no aspect ("chno ahsan statut?": legal forms, "statut" a name of the
        statutes): the topic's overview answers the comparison ("best way to advertise my restaurant
        online?" asks more)."""
        named = [s for s in subjects if not s.startswith("region:")]
        return bool(topic and named and not aspects and leftover and set(leftover) <= self.comparing_terms) and all(
            e.topic != topic for s in named for e in self.by_subject.get(s, []))

    def context_topics(self, subject: str | None, facet: str | None) -> set[str]:
        """The topics of the conversation: its subject's entries' and its aspect's general entry's
        (the creation steps' after "ouvrir un pressing à Meknès, quelles démarches ?", of the place)."""
        general = self.by_id.get(aspect.general or "") if (aspect := self.vocabulary.facets.get(facet or "")) else None
        return {e.topic for e in [*self.by_subject.get(subject or "", []), *([general] if general else [])]}

    def opened_terms(self, text: str) -> set[str]:
        """The words of an activity opened as a business ("lancer une activité de location de
        voitures": a rental business, no car rented), when another business word says it is
        opened; an activity alone ("location de voitures à Casa ?") is not."""
        opened = {t for p in self.vocabulary.activity_table.find(text) for t in search_terms(p.text)}
        others = opened and any(not set(search_terms(p.text)) <= opened | home_terms()
                                for p in self.vocabulary.business_table.find(text))
        return opened if others else set()

    @cached_property
    def loose_procedures(self) -> LooseProcedures:
        """The procedures named by their words before a legal form with a few words between (company_forms.py)."""
        return LooseProcedures([(p.entity, p.value, p.text) for p in self.vocabulary.phrases],
                               [p.text for p in self.vocabulary.company_phrases], self.general_subjects, STOPWORDS)

    @cached_property
    def linked_names(self) -> LinkedNames:
        """The names holding a linking word, found with another one (linkers.py)."""
        return LinkedNames(self.vocabulary.phrases)

    def subjects_in(self, text: str) -> list[str]:
        """Subjects named in a text (also used when the NLU entities are not available); a name
        written with another linking word ("compte bancaire l charika") when none is as written.
        What someone opens names no subject ("car wash" is no vehicle import, "وكالة أسفار" no power
        of attorney, "online store" no online creation: activities.yml). A Darija sentence naming a
        thing by its French word in Latin letters names it as with the word in Arabic letters
        ("واش نمشي للnotaire ولا للCRI؟" as "نمشي للنوطير": script_spellings.py)."""
        subjects = self._subjects_as_written(text)
        for reading in arabic_spelled(text):
            subjects += [s for s in self._subjects_as_written(reading) if s not in subjects]
        return subjects

    def _subjects_as_written(self, text: str) -> list[str]:
        if self.vocabulary.activity_table.find(text):
            text = self.vocabulary.activity_table.strip(text)
        phrases = self.vocabulary.find(text)
        if all(p.entity in PLACE_ENTITIES for p in phrases):
            phrases += self.linked_names.find(text)
        # (a procedure's name qualified before the legal form in its company word's place: "compte
        # bancaire islamique pour ma SARL" is the company's bank account, not the SARL: company_forms.py)
        if any(p.entity == "legal_form" for p in phrases) and not any(p.entity == "procedure" for p in phrases) and (
                procedure := self.loose_procedures.named(search_terms(text), {
                    t for f in self.vocabulary.facet_table.find(text) for t in search_terms(f.text)})) is not None:
            phrases = [Phrase("procedure", procedure, p.text) if p.entity == "legal_form" else p for p in phrases]
        subjects: list[str] = []
        for phrase in phrases:
            if phrase.entity == "city":
                region = self.vocabulary.city_region.get(phrase.value)
                subject = f"region:{region}" if region else None
            else:
                subject = f"{phrase.entity}:{phrase.value}"
            if subject and subject not in subjects:
                subjects.append(subject)
        return subjects

    def own_entries(self, text: str) -> tuple[list[Entry], list[str]]:
        """The entries a text names by an own phrase (`own_phrases`), whatever aspect's words the
        phrase holds ("ch7al kayakhod" is a time, but "ch7al kayakhod notaire" the notary's fees),
        and the subjects so named (by a synonym; not an aspect's general entry's: "combien de temps
        pour créer une SA" asks the time of the SA). An aspect's removal before the subjects are
        read ("version jdida" is no El Jadida) does not cut such a name."""
        entries: list[Entry] = []
        subjects: list[str] = []
        # (also with a French word in Arabic letters: "شحال كياخد le notaire" as "شحال كياخد النوطير")
        for phrase in [p for reading in (text, *arabic_spelled(text)) for p in self.own_table.find(reading)]:
            entry = self.by_id[phrase.value]
            if entry not in entries:
                entries.append(entry)
            if (phrase.entity == "name" and entry.subject and entry.subject not in self.general_subjects
                    and entry.subject not in subjects):
                subjects.append(entry.subject)
        return entries, subjects

    def own_aspects(self, own: Collection[Entry], subjects: Collection[str]) -> list[Entry]:
        """The entries named by an own phrase whose subject is named: their aspect is asked when
        the question asks no other ("ch7al kayakhod notaire": the fees; an overview asks none)."""
        return [e for e in own if e.subject in subjects and e.facet != "overview"]

    def named_elsewhere(self, text: str, unknown: Sequence[str], topic: str | None) -> bool:
        """Whether a question naming a subject only by a name several subjects share asks none of
        them ("disability pension in morocco how much", "la pension dyal lwalida"): a word no entry
        holds (`unknown`) beside it, the NLU reading no topic of theirs (meanings.elsewhere). Neither
        answered nor their clarifying question: not in the sources."""
        shared = meanings.shared_name(self.vocabulary.find(text))
        return bool(shared) and meanings.elsewhere(unknown, topic, {e.topic for s in shared for e in self.by_subject.get(s, [])})

    def creating_conversation(self, subject: str | None, facet: str | None) -> bool:
        """Whether a conversation is about creating: its subject's entries (a legal form), or those
        its aspect's general entry answers (the creation steps), are of the topics that creating
        from abroad covers; where one lives then qualifies it (not MDM Invest's eligibility)."""
        if subject:
            topics = {e.topic for e in self.by_id.values() if e.subject == subject}
        else:
            aspect = self.vocabulary.facets.get(aspect_of(self.vocabulary, facet)[1]) if facet else None
            general = self.by_id.get(aspect.general or "") if aspect else None
            topics = {general.topic} if general else set()
        return bool(topics & set(self.vocabulary.abroad_topics))

    @cached_property
    def subject_name_terms(self) -> dict[str, list[frozenset[str]]]:
        """Each subject's names as sets of terms, in every variety (renamed.py)."""
        return subject_names(self.entries)

    def renamed(self, leftover: Collection[str], subject: str | None, facet: str | None) -> str | None:
        """The other subject a follow-up names in its own words ("et pour le compte bancaire ?" after
        the SARL: the company's bank account), of the topics of creating when the conversation is
        about creating (renamed.py)."""
        if not (subject or facet) or not leftover or (subject or "").startswith("region:"):
            return None  # (a place only qualifies what is asked there: "وشحال خاص ديال الفلوس؟" after Tangier)
        # (not how much: "how much" is a name of the negative certificate's fee)
        words = {t for t in leftover if t not in self.business_terms and len(t) >= MIN_NAME_CHARS and t not in quantity_terms()
                 and self.document_frequency.get(t, 0) > 0}
        topics = {s: {e.topic for e in self.by_subject.get(s, [])} for s in self.subject_name_terms}
        near = set(self.vocabulary.abroad_topics) if self.creating_conversation(subject, facet) else self.context_topics(subject, facet)
        return renamed_subject(words, subject, self.subject_name_terms, topics, near)

    def names_other(self, leftover: Collection[str], context: str | None) -> bool:
        """Whether a follow-up's own words (`leftover`: naming neither a subject nor an aspect) hold
        a whole keyword or synonym of another subject's entry with a word none of the conversation's
        subject's (`context`) entries hold: "and how much cash can i bring?" after the car is the cash
        declaration ("cash" is its keyword, no word of the car's), not the car's overview again. A
        word of a longer name is not one ("نجيب", bring, of "نجيب الطوموبيل": after MDM Invest,
        "شحال خاصني نجيب من جيبي" is still MDM Invest), nor a word many entries hold ("much"), nor a
        letter ("s" of "on s affilie", a keyword's initial). A
        place only qualifies what is asked there ("وشحال خاص ديال الفلوس؟" after Tangier: the costs).
        Only names in the varieties the entries are written in count (fr, ar, en: `entry_names`)."""
        if not context or not leftover or context.startswith("region:"):
            return False
        held = set().union(*(self.terms_of(e) for e in self.entries if e.subject == context))
        own = set(leftover)
        telling = {t for t in own if len(t) >= MIN_NAME_CHARS and t not in held and t not in self.business_terms
                   and 0 < self.document_frequency.get(t, 0) < GENERIC_SHARE * len(self.entries)}
        return bool(telling) and any(
            set(name) <= own and set(name) & telling
            for entry in self.entries if entry.subject and entry.subject != context
            for name in self.entry_names[entry.id])

    def scored_terms(self, text: str, terms: list[str], asked: Asked, aspect_answers: Collection[str]) -> list[str]:
        """The question's terms its entries' words are scored on: what someone opens ("ouvrir un café à
        Agadir, comment faire ?") is no word of the answer when an aspect's general entry answers the
        aspect asked of no other subject than a place (the steps, not the licences naming cafés); a
        licence named is a subject, and keeps the activity's words."""
        if not (asked.general or aspect_answers) or any(not s.startswith("region:") for s in asked.subjects):
            return terms
        opened = {t for p in self.vocabulary.activity_table.find(text) for t in search_terms(p.text)}
        return [t for t in terms if t not in opened] if opened else terms

    def done_to_form(self, subjects: Collection[str], others: Collection[str], named: Collection[str],
                     facets: Collection[object], terms: Collection[str]) -> bool:
        """Whether an aspect is asked of a procedure done to a legal form the question names, not of
        creating it: "steps to liquidate a sarl" are the closing's, not the creation steps (the
        procedures the question's own words name, none an aspect's general entry's)."""
        if not (facets and others and any(s.startswith("legal_form:") for s in subjects)
                and not set(terms) & self.creating_terms
                and all(s.startswith("procedure:") and s not in self.general_subjects and s in named for s in others)):
            return False
        # (a way of doing it, online, beside a legal form whose own entry answers the aspect: that form's entry, ways.yml)
        selected = {f for facet in facets for f in getattr(facet, "selects", ())}
        return not (set(others) <= ways() and any(selected & self.facets_of.get(s, set())
                                                   for s in subjects if s.startswith("legal_form:")))

    def creates_named_form(self, best: Hit, topic: str | None, terms: Collection[str]) -> bool:
        """Whether the best entry is of a legal form the question names with a word of creating one,
        read by the NLU as creating ("هل يمكنني تأسيس SARL ... إذا كنت أحمل جنسية مزدوجة؟"): creating
        a legal form is of both topics, the NLU's is no evidence against it."""
        return (topic == "creation" and "subject" in best.reasons and (best.entry.subject or "").startswith("legal_form:")
                and bool(set(terms) & self.creating_terms))

    def _leftover(self, terms: list[str], text: str) -> list[str]:
        """Content terms that are not part of a subject or aspect phrase."""
        covered: set[str] = set()
        for phrase in [*self.vocabulary.find(text), *self.vocabulary.facet_table.find(text)]:
            covered.update(search_terms(phrase.text))
        return [t for t in terms if t not in covered]
