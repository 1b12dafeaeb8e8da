"""The knowledge base's vocabulary: subject synonyms, cities, question facets.

Subject synonyms come from the entries; cities and facets from `knowledge/vocabulary/`.
Pure Python: used by the NLU pattern extractor (Rasa process), by the search and by
the case form (action server), e.g. to map "Tanger" or "طنجة" to its region.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml

from assistant.contract import SUBJECT_TYPES, TOPICS
from assistant.kb.company_forms import with_legal_forms
from assistant.kb.connectors import connector_variants
from assistant.kb.schema import Entry, KnowledgeError, load_directory
from assistant.lexicon import load
from assistant.text import search_terms


@dataclass(frozen=True)
class Phrase:
    entity: str  # legal_form, procedure, tax, programme, region, exchange, city, facet
    value: str  # canonical value: sarl, mdm_invest, oriental, "Oujda", capital…
    text: str  # surface form as written in the knowledge base


#: The article Arabizi glues to a Latin word ("lprojet", "lmchro3"), before a word of four letters or more.
GLUED_ARTICLE: Final = re.compile(r"(?<![\w'])l(?=[a-z][a-z0-9]{3,})")

#: Entities naming a place (a preposition before one belongs to it).
PLACE_ENTITIES: Final = frozenset({"city", "region"})


@lru_cache(maxsize=1)
def home_terms() -> frozenset[str]:
    """The words of Morocco itself (`assistant/words/conversation.yml`, `home`)."""
    return frozenset(t for words in load("conversation")["home"].values() for w in words for t in search_terms(w))


@lru_cache(maxsize=1)
def place_prepositions() -> frozenset[str]:
    """Prepositions that open a place (`assistant/words/conversation.yml`, `place_prepositions`)."""
    return frozenset(t for words in load("conversation")["place_prepositions"].values() for w in words
                     for t in search_terms(w))


def longest_matches(
    terms: Sequence[str],
    lookup: Mapping[tuple[str, ...], Phrase],
    longest: int,
    min_size: int = 1,
    accept: Callable[[Phrase, int, int], bool] | None = None,
) -> Iterator[tuple[int, Phrase | None]]:
    """Walks `terms` left to right, taking at each position the longest run of at least
    `min_size` terms that is a key of `lookup` (and that `accept(phrase, start, size)` takes):
    yields (start, phrase) for each phrase found and (index, None) for each term left over.
    The one scan behind finding, stripping and linker-free matching of names."""
    i = 0
    while i < len(terms):
        for size in range(min(longest, len(terms) - i), max(min_size, 1) - 1, -1):
            phrase = lookup.get(tuple(terms[i : i + size]))
            if phrase is not None and (accept is None or accept(phrase, i, size)):
                yield i, phrase
                i += size
                break
        else:
            yield i, None
            i += 1


class PhraseTable:
    """Finds known phrases in text, on normalised and lightly stemmed terms."""

    def __init__(self, phrases: Iterable[Phrase]) -> None:
        self.phrases = list(phrases)
        self._lookup: dict[tuple[str, ...], Phrase] = {}
        for phrase in self.phrases:
            key = tuple(search_terms(phrase.text))
            # (and as a normalised text reads again: the search reads the phrases in its corrected
            # text, where "الولادة", normalised "لاده", becomes "اده": "رخصة الولادة" is still found)
            for form in dict.fromkeys([key, tuple(search_terms(" ".join(key)))]):
                if form and form not in self._lookup:
                    self._lookup[form] = phrase
        # (and with another language's connecting word, after every name as written: "compte bancaire l la société")
        for form, phrase in list(self._lookup.items()):
            for variant in connector_variants(form):
                self._lookup.setdefault(variant, phrase)
        self._longest = max((len(k) for k in self._lookup), default=0)
        # the first words of the places this table names, and of Morocco itself
        self._places = {k[0] for k, p in self._lookup.items() if p.entity in PLACE_ENTITIES} | home_terms()

    def _before_place(self, terms: Sequence[str], end: int) -> bool:
        """Whether a phrase ending at `end` ends with a preposition that opens the place after it:
        "SARL au Maroc" names the SARL in Morocco, not the SARL AU."""
        return end < len(terms) and terms[end - 1] in place_prepositions() and terms[end] in self._places

    def ends_before_place(self, words: str, rest: str) -> bool:
        """Whether a phrase written `words`, followed by `rest`, ends with the preposition opening
        the place `rest` starts with ("SARL au" before "Maroc": the SARL in Morocco)."""
        terms, after = search_terms(words), search_terms(rest)
        return len(terms) > 1 and bool(after) and self._before_place([*terms, after[0]], len(terms))

    def names(self, text: str) -> bool:
        """Whether the whole text is one phrase of this table."""
        return tuple(search_terms(text)) in self._lookup

    def strip(self, text: str, min_terms: int = 1) -> str:
        """The text's terms without the phrases of this table of at least `min_terms` terms
        (normalised, space-joined)."""
        terms = search_terms(text)
        return " ".join(terms[i] for i, phrase in longest_matches(terms, self._lookup, self._longest, min_terms)
                        if phrase is None)

    def find(self, text: str, entity_types: Iterable[str] | None = None) -> list[Phrase]:
        """Phrases found in `text`, longest match first, without overlaps."""
        wanted = set(entity_types) if entity_types else None
        terms = search_terms(text)

        def accept(phrase: Phrase, start: int, size: int) -> bool:
            if size > 1 and self._before_place(terms, start + size):
                return False
            return wanted is None or phrase.entity in wanted

        return [p for _, p in longest_matches(terms, self._lookup, self._longest, accept=accept) if p is not None]


@dataclass
class Facet:
    name: str
    selects: tuple[str, ...]
    #: the entry answering this aspect for a subject of one of `kinds` that has no entry of its
    #: own for it ("combien de temps pour créer une SARL ?": the creation time, not the SARL)
    general: str | None = None
    kinds: tuple[str, ...] = ()
    #: whether the general entry also answers the aspect asked of no subject ("quels documents ?");
    #: not the tax one: "quel est le taux ?" is the VAT or the corporate tax, not who pays it
    alone: bool = True
    #: subjects of those kinds that the general entry does not speak for, and the entry of their
    #: own answering instead: the auto-entrepreneur registers at the RNAE, so "how long?" for
    #: it is its registration, not the company's creation time
    instead: dict[str, str] = field(default_factory=dict)
    #: the general entry answers the aspect asked of no subject only about a business, or with nothing
    #: else (`alone: business`): "what taxes do i pay on my apartment?" is no company's taxes
    business: bool = False
    #: words asking this aspect when the message holds nothing else ("and taxes?", "الضرائب؟", "w dariba?":
    #: the taxes a company pays; "et les impôts sur les sociétés ?" is the corporate tax)
    bare: tuple[str, ...] = ()
    #: the entry facets this aspect, kept in a conversation, asks of a subject having no entry for it
    #: ("et la CNSS ?" after the creation costs: what the CNSS costs, its contribution rates)
    carried: tuple[str, ...] = ()

    def general_for(self, subject: str) -> str | None:
        """The general entry answering this aspect for `subject` (`legal_form:sarl`), if any."""
        if subject in self.instead:
            return self.instead[subject]
        return self.general if subject.split(":", 1)[0] in self.kinds else None


@dataclass(frozen=True)
class OutsideTopic:
    """A subject the knowledge base does not cover, and who handles it (when known)."""

    name: str
    body: dict[str, str]  # fr/ar/en name of the competent body; empty when none is known
    #: subjects of entries this topic is a side of that no entry covers (the CNSS's refunds of
    #: medical costs, a car's yearly tax): named beside the topic's words, they do not make the
    #: question one of theirs
    sides_of: frozenset[str] = frozenset()


@dataclass
class Vocabulary:
    phrases: list[Phrase] = field(default_factory=list)
    city_region: dict[str, str] = field(default_factory=dict)  # city surface form -> region slug
    region_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # region slug -> fr/ar/en name
    facets: dict[str, Facet] = field(default_factory=dict)
    facet_phrases: list[Phrase] = field(default_factory=list)
    outside: dict[str, OutsideTopic] = field(default_factory=dict)
    outside_phrases: list[Phrase] = field(default_factory=list)
    business_phrases: list[Phrase] = field(default_factory=list)
    #: asking what to do ("chno ndir?"): a generic verb of doing, not a business (outside.yml `advice_words`)
    advice_phrases: list[Phrase] = field(default_factory=list)
    #: the asker's own company ("ma société", "فالشركة"), among the business words (outside.yml `company_words`)
    company_phrases: list[Phrase] = field(default_factory=list)
    #: what people open (activities.yml: a snack, a bakery), also among the business phrases
    activity_phrases: list[Phrase] = field(default_factory=list)
    topic_overviews: dict[str, str] = field(default_factory=dict)  # topic -> id of its overview entry
    topic_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # topic -> words naming it
    audience_words: tuple[str, ...] = ()  # whom the base serves ("mre", "الجالية"): topics.yml `audience`
    abroad_overview: str | None = None  # the entry answering a vague question from abroad
    abroad_topics: tuple[str, ...] = ()  # ... when the NLU reads one of these topics (or none)
    abroad_words: tuple[str, ...] = ()  # ... and the question has only these words
    #: aspects two words name together, anywhere in a question (facets.yml `together`): "how
    #: much" and "money" ask what it costs ("شحال خاص ديال الفلوس؟"), though neither does alone
    together: list[tuple[str, PhraseTable, PhraseTable]] = field(default_factory=list)
    #: subjects outside the base two words name together (outside.yml `together`): a spouse and a
    #: residence card ("my wife is dutch, how does she get a residence card?"), though neither does alone
    outside_together: list[tuple[str, PhraseTable, PhraseTable]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.subjects = PhraseTable(self.phrases)
        self.facet_table = PhraseTable(self.facet_phrases)
        self.outside_table = PhraseTable(self.outside_phrases)
        self.business_table = PhraseTable(self.business_phrases)
        self.advice_table = PhraseTable(self.advice_phrases)
        self.company_table = PhraseTable(self.company_phrases)
        self.activity_table = PhraseTable(self.activity_phrases)

    def about_business(self, text: str, *, aspects: bool = True) -> bool:
        """Whether a text says something about a business (not only a place); with
        `aspects=False`, an aspect alone ("prix", "impôt") does not count. Arabizi glues the
        article to its word ("lprojet", "lbusiness"): such a word counts as the word. Asking what
        to do ("chi wa7ed dkhel l dari f nador, chno ndir?") says nothing of a business."""
        text = self.advice_table.strip(text)
        found = self.business_table.find(text) or self.business_table.find(GLUED_ARTICLE.sub(" ", text))
        return bool(found or (aspects and self.facet_table.find(text)))

    def outside_in(self, text: str) -> list[OutsideTopic]:
        """Subjects outside the base that a text names (visa, passport, inheritance…)."""
        names = dict.fromkeys(p.value for p in self.outside_found(text))
        return [self.outside[name] for name in names]

    def outside_found(self, text: str) -> list[Phrase]:
        """The phrases naming a subject outside the base in a text: its words, or the first of two
        words found together (`outside_together`)."""
        found = self.outside_table.find(text)
        for _, first, second in self.outside_together:
            if (words := first.find(text)) and (others := second.find(text)):
                # (the two words together: "pension" alone is an entry's word, with "years of work" it is not)
                found += [Phrase(p.entity, p.value, f"{p.text} {others[0].text}") for p in words]
        return found

    def find(self, text: str, entity_types: Iterable[str] | None = None) -> list[Phrase]:
        return self.subjects.find(text, entity_types)

    def region_of(self, text: str) -> str | None:
        """The region slug a free-text place ("Tanger", "جهة الشرق", "casa") names, if any."""
        for phrase in self.find(text, ("region", "city")):
            if phrase.entity == "region":
                return phrase.value
            return self.city_region.get(phrase.value)
        return None

    def facets_in(self, text: str) -> list[Facet]:
        names = dict.fromkeys(p.value for p in self.facet_table.find(text))
        rest = self.facet_table.strip(text, min_terms=2) if names else text  # ("how much" of "how much time" asks the time)
        for name, first, second in self.together:
            if name not in names and first.find(text) and second.find(rest):
                names[name] = None
        return [self.facets[name] for name in names]


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise KnowledgeError(str(path), "(document)", f"is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise KnowledgeError(str(path), "(document)", "must be a YAML mapping")
    return data


VOCABULARY_FILES = ("activities", "cities", "facets", "outside", "topics")


def read_vocabulary_documents(knowledge_dir: Path) -> dict[str, Any]:
    """The raw `vocabulary/*.yml` documents (stored with each knowledge-base version)."""
    documents: dict[str, Any] = {}
    for name in VOCABULARY_FILES:
        path = knowledge_dir / "vocabulary" / f"{name}.yml"
        if path.exists():
            documents[name] = _read_yaml(path)
    return documents


def _topic_overviews(entries: list[Entry], documents: dict[str, Any]) -> dict[str, str]:
    overviews = (documents.get("topics") or {}).get("overviews") or {}
    topic_of = {entry.id: entry.topic for entry in entries}
    for topic in TOPICS:
        entry_id = overviews.get(topic)
        if not isinstance(entry_id, str) or topic_of.get(entry_id) != topic:
            raise KnowledgeError("vocabulary/topics.yml", f"overviews.{topic}", "must name an entry of this topic")
    return {topic: str(overviews[topic]) for topic in TOPICS}


def _topic_words(documents: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """topics.yml `topic_words`: words that make a vague question about one topic."""
    spec = (documents.get("topics") or {}).get("topic_words") or {}
    if not isinstance(spec, dict) or not set(spec) <= set(TOPICS):
        raise KnowledgeError("vocabulary/topics.yml", "topic_words", f"must map topics ({', '.join(TOPICS)}) to words")
    return {str(topic): tuple(map(str, words or ())) for topic, words in spec.items()}


def _abroad_overview(entries: list[Entry], documents: dict[str, Any]) -> tuple[str | None, tuple[str, ...], tuple[str, ...]]:
    """topics.yml `abroad`: the entry answering a vague question from abroad, its topics, its words."""
    spec = (documents.get("topics") or {}).get("abroad")
    if spec is None:
        return None, (), ()
    if not isinstance(spec, dict) or spec.get("entry") not in {e.id for e in entries}:
        raise KnowledgeError("vocabulary/topics.yml", "abroad.entry", "must name an entry")
    topics = tuple(map(str, spec.get("topics") or ()))
    if not set(topics) <= set(TOPICS):
        raise KnowledgeError("vocabulary/topics.yml", "abroad.topics", f"must be topics: {', '.join(TOPICS)}")
    words = tuple(map(str, spec.get("words") or ()))
    if not words:
        raise KnowledgeError("vocabulary/topics.yml", "abroad.words", "needs the words of starting a business")
    return str(spec["entry"]), topics, words


def _speaks_for(entry: Entry, subject: str, entries: list[Entry]) -> bool:
    """Whether `entry`, of another subject of the same kind, names `subject` (one of its entries'
    synonyms) in its answer."""
    kind, value = subject.split(":", 1)
    if not str(entry.subject).startswith(f"{kind}:"):
        return False
    table = PhraseTable(Phrase(kind, value, w) for e in entries if e.subject == subject
                        for words in e.synonyms.values() for w in words)
    return any(table.find(text) for text in entry.answer.values())


def _general(name: str, spec: Any, entries: list[Entry]) -> tuple[str | None, tuple[str, ...], bool, dict[str, str], bool]:
    """A facet's `general: {entry, kinds, alone, instead}`: the entries must exist, the kinds be
    subject types, and `instead` map subjects of those kinds to an entry of that subject."""
    if spec is None:
        return None, (), True, {}, False
    where = f"facets.{name}.general"
    if not isinstance(spec, dict) or not isinstance(spec.get("entry"), str) or not spec.get("kinds"):
        raise KnowledgeError("vocabulary/facets.yml", where, "needs `entry` (an entry id) and `kinds` (subject types)")
    if spec["entry"] not in {e.id for e in entries}:
        raise KnowledgeError("vocabulary/facets.yml", f"{where}.entry", f"unknown entry {spec['entry']!r}")
    kinds = tuple(map(str, spec["kinds"]))
    if not set(kinds) <= set(SUBJECT_TYPES):
        raise KnowledgeError("vocabulary/facets.yml", f"{where}.kinds", f"must be subject types: {', '.join(SUBJECT_TYPES)}")
    instead = {str(k): str(v) for k, v in (spec.get("instead") or {}).items()}
    by_id = {e.id: e for e in entries}
    for subject, entry_id in instead.items():
        # (an entry of that subject, or one of another subject of its kind whose answer names it:
        # the SARL's documents, "pour une SARL (ou SARL AU)", for the SARL AU)
        entry = by_id.get(entry_id)
        if entry is None or subject.split(":", 1)[0] not in kinds or not (
                entry.subject == subject or _speaks_for(entry, subject, entries)):
            raise KnowledgeError("vocabulary/facets.yml", f"{where}.instead.{subject}",
                                 "must map a subject of the general's kinds to an entry of that subject, "
                                 "or of a subject of its kind whose answer names it")
    return spec["entry"], kinds, spec.get("alone", True) is not False, instead, spec.get("alone") == "business"


def build_vocabulary(entries: Iterable[Entry], documents: dict[str, Any]) -> Vocabulary:
    """Build the vocabulary; raises KnowledgeError naming the faulty item."""
    entries = list(entries)
    phrases: list[Phrase] = []
    for entry in entries:
        if entry.subject:
            etype, value = entry.subject.split(":", 1)
            for words in entry.synonyms.values():
                phrases += [Phrase(etype, value, w) for w in words]

    city_region: dict[str, str] = {}
    region_labels: dict[str, dict[str, str]] = {}
    for i, item in enumerate((documents.get("cities") or {}).get("cities") or []):
        names, region, label = item.get("names") or [], item.get("region"), item.get("label") or {}
        if not region or not names:
            raise KnowledgeError("vocabulary/cities.yml", f"cities[{i}]", "needs a region and names")
        if not all(isinstance(label.get(lang), str) for lang in ("fr", "ar", "en")):
            raise KnowledgeError("vocabulary/cities.yml", f"cities[{i}].label", "needs fr, ar and en names")
        region_labels[region] = dict(label)
        for name in map(str, names):
            city_region.setdefault(name, region)
            phrases.append(Phrase("city", name, name))

    facets: dict[str, Facet] = {}
    facet_phrases: list[Phrase] = []
    together: list[tuple[str, PhraseTable, PhraseTable]] = []
    for name, spec in ((documents.get("facets") or {}).get("facets") or {}).items():
        if not isinstance(spec, dict) or not spec.get("words") or not spec.get("selects"):
            raise KnowledgeError("vocabulary/facets.yml", f"facets.{name}", "needs `selects` and `words`")
        facets[name] = Facet(name, tuple(spec["selects"]), *_general(name, spec.get("general"), entries),
                             bare=tuple(map(str, spec.get("bare") or ())), carried=tuple(map(str, spec.get("carried") or ())))
        facet_phrases += [Phrase("facet", name, str(w)) for w in spec["words"]]
        if (pair := spec.get("together")) is not None:
            if not isinstance(pair, dict) or not pair.get("words") or not pair.get("with"):
                raise KnowledgeError("vocabulary/facets.yml", f"facets.{name}.together", "needs `words` and `with`")
            together.append((name, *(PhraseTable(Phrase("facet", name, str(w)) for w in pair[k]) for k in ("words", "with"))))
    outside: dict[str, OutsideTopic] = {}
    outside_phrases: list[Phrase] = []
    outside_together: list[tuple[str, PhraseTable, PhraseTable]] = []
    for name, spec in ((documents.get("outside") or {}).get("topics") or {}).items():
        body = (spec or {}).get("body") or {}
        if not isinstance(spec, dict) or not spec.get("words"):
            raise KnowledgeError("vocabulary/outside.yml", f"topics.{name}", "needs `words`")
        if body and not all(isinstance(body.get(lang), str) and body[lang].strip() for lang in ("fr", "ar", "en")):
            raise KnowledgeError("vocabulary/outside.yml", f"topics.{name}.body", "needs fr, ar and en names")
        sides = frozenset(map(str, spec.get("sides_of") or ()))
        if unknown := sides - {e.subject for e in entries if e.subject}:
            raise KnowledgeError("vocabulary/outside.yml", f"topics.{name}.sides_of", f"names no entry's subject: {sorted(unknown)}")
        outside[name] = OutsideTopic(name, {k: str(v) for k, v in body.items()}, sides)
        outside_phrases += [Phrase("outside", name, str(w)) for w in spec["words"]]
        if (pair := spec.get("together")) is not None:
            if not isinstance(pair, dict) or not pair.get("words") or not pair.get("with"):
                raise KnowledgeError("vocabulary/outside.yml", f"topics.{name}.together", "needs `words` and `with`")
            outside_together.append((name, *(PhraseTable(Phrase("outside", name, str(w)) for w in pair[k]) for k in ("words", "with"))))
    # a procedure done to one's company named with its legal form ("fermer ma SARL": company_forms.py)
    generals = {f.general for f in facets.values() if f.alone and f.general}
    general_subjects = {e.subject for e in entries if e.id in generals and e.subject}
    company_words = map(str, (documents.get("outside") or {}).get("company_words") or [])
    phrases += [Phrase(*p) for p in with_legal_forms([(p.entity, p.value, p.text) for p in phrases], company_words, general_subjects)]
    business = [Phrase("business", "business", str(w)) for w in (documents.get("outside") or {}).get("business_words") or []]
    opened = documents.get("activities") or {}
    activities = [Phrase("business", "activity", str(w)) for w in opened.get("activities") or []]
    business += [*activities, *(Phrase("business", "business", str(w)) for w in opened.get("opening") or [])]
    vocabulary = Vocabulary(
        phrases=phrases,
        city_region=city_region,
        region_labels=region_labels,
        facets=facets,
        facet_phrases=facet_phrases,
        outside=outside,
        outside_phrases=outside_phrases,
        outside_together=outside_together,
        business_phrases=business,
        advice_phrases=[Phrase("advice", "advice", str(w)) for w in (documents.get("outside") or {}).get("advice_words") or []],
        company_phrases=[Phrase("business", "company", str(w)) for w in (documents.get("outside") or {}).get("company_words") or []],
        activity_phrases=activities,
        topic_overviews=_topic_overviews(entries, documents),
        topic_words=_topic_words(documents),
        audience_words=tuple(map(str, (documents.get("topics") or {}).get("audience") or ())),
        together=together,
    )
    vocabulary.abroad_overview, vocabulary.abroad_topics, vocabulary.abroad_words = _abroad_overview(entries, documents)
    return vocabulary


def load_vocabulary(knowledge_dir: Path) -> Vocabulary:
    return build_vocabulary(load_directory(knowledge_dir), read_vocabulary_documents(knowledge_dir))
