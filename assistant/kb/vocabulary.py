"""The knowledge base's vocabulary, read from the entries and `knowledge/vocabulary/`: subject
synonyms come from the entries; cities and facets from the vocabulary files, checked as read
(a KnowledgeError names the faulty item). What it holds and answers: vocabulary_model.py; the
phrase tables it is made of: phrases.py.
Pure Python: used by the NLU pattern extractor (Rasa process), by the search and by
the case form (action server), e.g. to map "Tanger" or "طنجة" to its region.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from assistant.contract import SUBJECT_TYPES, TOPICS
from assistant.kb.company_forms import with_legal_forms
from assistant.kb.phrases import Phrase, PhraseTable
from assistant.kb.schema import Entry, KnowledgeError, load_directory
from assistant.kb.vocabulary_model import Facet, OutsideTopic, Vocabulary
from assistant.text import search_terms


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


def _topic_words(documents: dict[str, Any], key: str = "topic_words") -> dict[str, tuple[str, ...]]:
    """topics.yml `topic_words`: words that make a vague question about one topic (`key`:
    `topic_words_beside_business`, those that do only beside a word of starting a business)."""
    spec = (documents.get("topics") or {}).get(key) or {}
    if not isinstance(spec, dict) or not set(spec) <= set(TOPICS):
        raise KnowledgeError("vocabulary/topics.yml", key, f"must map topics ({', '.join(TOPICS)}) to words")
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


def _general(name: str, spec: Any, entries: list[Entry]
             ) -> tuple[str | None, tuple[str, ...], bool, dict[str, str], bool, tuple[str, ...]]:
    """A facet's `general: {entry, kinds, alone, instead, also}`: the entries must exist, the kinds be
    subject types, `instead` map subjects of those kinds to an entry of that subject, and `also` name
    subjects of entries (the creation's own procedures) the general entry answers for too."""
    if spec is None:
        return None, (), True, {}, False, ()
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
    also = tuple(map(str, spec.get("also") or ()))
    if not set(also) <= {e.subject for e in entries if e.subject}:
        raise KnowledgeError("vocabulary/facets.yml", f"{where}.also", "must name subjects of entries")
    return spec["entry"], kinds, spec.get("alone", True) is not False, instead, spec.get("alone") == "business", also


def _subjects_together(entries: list[Entry], documents: dict[str, Any]) -> list[tuple[str, PhraseTable, PhraseTable]]:
    """topics.yml `together`: subjects two words name together, each pair an entry's subject."""
    known = {e.subject for e in entries if e.subject}
    pairs: list[tuple[str, PhraseTable, PhraseTable]] = []
    for i, spec in enumerate((documents.get("topics") or {}).get("together") or []):
        if not isinstance(spec, dict) or spec.get("subject") not in known or not spec.get("words") or not spec.get("with"):
            raise KnowledgeError("vocabulary/topics.yml", f"together[{i}]", "needs an entry's `subject`, `words` and `with`")
        kind, value = str(spec["subject"]).split(":", 1)
        words, parts = (PhraseTable(Phrase(kind, value, str(w)) for w in spec[k]) for k in ("words", "with"))
        pairs.append((str(spec["subject"]), words, parts))
    return pairs


def _unshared(phrases: list[Phrase]) -> list[Phrase]:
    """The subjects' names without those several subjects share ("retour définitif", "العودة النهائية": the
    return for good's exchange rules and its customs allowance): such a name names neither on its own, the
    question's other words say which is asked ("…what can i bring in without paying douane?": the customs)."""
    owners: dict[tuple[str, ...], set[tuple[str, str]]] = {}
    for phrase in phrases:
        owners.setdefault(tuple(search_terms(phrase.text)), set()).add((phrase.entity, phrase.value))
    return [p for p in phrases if len(owners[tuple(search_terms(p.text))]) == 1]


def build_vocabulary(entries: Iterable[Entry], documents: dict[str, Any]) -> Vocabulary:
    """Build the vocabulary; raises KnowledgeError naming the faulty item."""
    entries = list(entries)
    phrases: list[Phrase] = []
    for entry in entries:
        if entry.subject:
            etype, value = entry.subject.split(":", 1)
            for words in entry.synonyms.values():
                phrases += [Phrase(etype, value, w) for w in words]
    phrases = _unshared(phrases)

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
        aspects = frozenset(map(str, spec.get("aspects") or ()))
        if aspects and (not sides or aspects - set(facets)):
            raise KnowledgeError("vocabulary/outside.yml", f"topics.{name}.aspects", f"needs `sides_of` and aspects of facets.yml: {sorted(aspects - set(facets))}")
        yields = frozenset(map(str, spec.get("yields_to") or ()))
        if yields - set(facets):
            raise KnowledgeError("vocabulary/outside.yml", f"topics.{name}.yields_to", f"names no aspect of facets.yml: {sorted(yields - set(facets))}")
        outside[name] = OutsideTopic(name, {k: str(v) for k, v in body.items()}, sides, aspects, yields)
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
        topic_words_beside=_topic_words(documents, "topic_words_beside_business"),
        audience_words=tuple(map(str, (documents.get("topics") or {}).get("audience") or ())),
        together=together,
        subjects_together=_subjects_together(entries, documents),
    )
    vocabulary.abroad_overview, vocabulary.abroad_topics, vocabulary.abroad_words = _abroad_overview(entries, documents)
    return vocabulary


def load_vocabulary(knowledge_dir: Path) -> Vocabulary:
    return build_vocabulary(load_directory(knowledge_dir), read_vocabulary_documents(knowledge_dir))
