"""The tables the search reads, built once per knowledge-base version from its entries and
vocabulary: the entries by id and subject, their facets, own phrases and names, the BM25 index, the
spelling corrector and the word sets of the subjects, aspects, topics and business words.

Its own module so that what the index knows (here) is apart from how a question is searched
(search.py) and read (reading.py, aspect_reading.py, subject_entries.py: mixins reading these tables).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from assistant.kb import meanings
from assistant.kb.aspect_reading import whole_name
from assistant.kb.bm25 import BM25
from assistant.kb.opposites import named_terms
from assistant.kb.phrases import Phrase, PhraseTable
from assistant.kb.reading import own_phrases
from assistant.kb.schema import Entry
from assistant.kb.spelling import SpellingCorrector
from assistant.kb.terms import STOPWORDS, content_terms, entry_terms, question_terms
from assistant.kb.vocabulary_model import Vocabulary
from assistant.languages import VARIETIES
from assistant.lexicon import raw_entries
from assistant.text import search_terms


class IndexTables:
    """The knowledge index's tables and the lookups on them (the KnowledgeIndex, search.py,
    searches them; it is rebuilt when a new version of the base is loaded)."""

    def __init__(self, entries: Sequence[Entry], vocabulary: Vocabulary, version: int | None = None) -> None:
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
        self.own_table = PhraseTable(own_phrases(self.entries, vocabulary), mixed=True)
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
        self.topic_terms_beside = {topic: {t for w in words for t in search_terms(w)} for topic, words in vocabulary.topic_words_beside.items()}
        self.creating_terms = {t for w in vocabulary.abroad_words for t in search_terms(w)}  # topics.yml `abroad`
        self.audience_terms = {t for w in vocabulary.audience_words for t in search_terms(w)}  # topics.yml `audience`
        # words of seeking or needing something and of its purpose (assistant/words/conversation.yml `seeking`)
        self.seeking_terms = {t for w in raw_entries("conversation", "seeking") for t in search_terms(w)}
        # (the topics', audience's and creating words are known as written: "مساعدات" is no plural to undo)
        self.spelling = SpellingCorrector(frequencies, extra_known={*STOPWORDS, *self.creating_terms, *self.audience_terms,
                                                                    *(t for words in [*self.topic_terms.values(), *self.topic_terms_beside.values()] for t in words)},
                                          names=(p.text for p in vocabulary.phrases))
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

    def question_terms(self, text: str) -> tuple[str, list[str]]:
        """The normalised, spell-corrected text and its content terms (terms.question_terms)."""
        return question_terms(text, self.spelling)

    def terms_of(self, entry: Entry) -> Counter[str]:
        """An entry's indexed terms and their counts."""
        return self.bm25.tf[self.position[entry.id]]

    def get(self, entry_id: str) -> Entry | None:
        return self.by_id.get(entry_id)
