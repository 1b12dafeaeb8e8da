"""Knowledge-base entries: the file format and its validation.

An entry is one YAML file in `knowledge/<topic>/<id>.yml`. Key facts (amounts, rates,
durations, dates) live once in `facts:` and the fr/ar/en texts refer to them as
`{name}` placeholders, so a number is written once and rendered in every language.
A cross-check (see `numbers_in`) also refuses an entry whose rendered texts do not
carry the same numbers in the three languages. Rendering is in `render.py`;
see `knowledge/README.md`.

Pure Python + PyYAML: used by the loader CLI, the action server and the NLU
component alike.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from assistant.contract import SUBJECT_TYPES, TOPICS
from assistant.kb.render import (
    CURRENCIES,
    UNITS,
    as_date,
    numbers_in,
    placeholder_counts,
    render_text,
)
from assistant.kb.sources import Source, SourceError, check_status, parse_sources
from assistant.languages import LANGUAGES, VARIETIES

#: Entity types the pattern extractor emits; an entry's `subject` is `type:value`.
ENTITY_TYPES: Final = SUBJECT_TYPES
STATUSES: Final = ("confirmed", "to_confirm")
MAX_ANSWER_CHARS: Final = 900
ID_RE: Final = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ARABIC_RE: Final = re.compile(r"[\u0600-\u06FF]")


class KnowledgeError(ValueError):
    """A knowledge file is invalid; names the file and the field."""

    def __init__(self, file: str, field_name: str, message: str) -> None:
        super().__init__(f"{file}: {field_name}: {message}")
        self.file = file
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Entry:
    """A validated entry. Texts are rendered (placeholders already substituted)."""

    id: str
    topic: str
    subject: str | None
    facet: str
    status: str
    reviewed_on: dt.date  # when the entry was last reviewed (not a claim the sites were re-checked)
    facts: dict[str, Any]
    title: dict[str, str]
    answer: dict[str, str]
    caveat: dict[str, str]
    synonyms: dict[str, list[str]]
    keywords: dict[str, list[str]]
    questions: dict[str, list[str]]
    sources: list[Source]
    related: list[str]
    #: one-sentence answers to one precise aspect: (words that ask for it, fr/ar/en sentence)
    short: list[tuple[tuple[str, ...], dict[str, str]]] = field(default_factory=list)
    file: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    def search_text(self, variety: str) -> str:
        """All text of one variety, for full-text indexing."""
        parts: list[str] = []
        if variety in self.title:
            parts += [self.title[variety], self.answer[variety]]
        parts += self.synonyms.get(variety, [])
        parts += self.keywords.get(variety, [])
        parts += self.questions.get(variety, [])
        return "\n".join(parts)


# --------------------------------------------------------------------------- validation


def _need(data: Mapping[str, Any], key: str, file: str, kind: type | tuple[type, ...]) -> Any:
    if key not in data or data[key] in (None, "", [], {}):
        raise KnowledgeError(file, key, "is required")
    if not isinstance(data[key], kind):
        raise KnowledgeError(file, key, f"must be a {getattr(kind, '__name__', kind)}")
    return data[key]


def _texts(data: Mapping[str, Any], key: str, file: str, required: bool = True) -> dict[str, str]:
    value = data.get(key)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise KnowledgeError(file, key, "must map fr, ar and en to texts")
    out: dict[str, str] = {}
    for lang in LANGUAGES:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise KnowledgeError(file, f"{key}.{lang}", "is missing or empty")
        arabic = len(ARABIC_RE.findall(text))
        letters = sum(ch.isalpha() for ch in text) or 1
        if lang == "ar" and arabic / letters < 0.5:
            raise KnowledgeError(file, f"{key}.{lang}", "is not written in Arabic script")
        if lang != "ar" and arabic / letters > 0.2:
            raise KnowledgeError(file, f"{key}.{lang}", "contains Arabic script")
        out[lang] = text.strip()
    extra = set(value) - set(LANGUAGES)
    if extra:
        raise KnowledgeError(file, key, f"unknown languages {sorted(extra)}")
    return out


def _word_lists(data: Mapping[str, Any], key: str, file: str, required: Iterable[str]) -> dict[str, list[str]]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise KnowledgeError(file, key, "must map varieties (fr, ar, en, darija, arabizi) to lists")
    out: dict[str, list[str]] = {}
    for variety, words in value.items():
        if variety not in VARIETIES:
            raise KnowledgeError(file, f"{key}.{variety}", f"unknown variety (use one of {', '.join(VARIETIES)})")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise KnowledgeError(file, f"{key}.{variety}", "must be a list of non-empty strings")
        out[variety] = [str(w).strip() for w in words]
    for variety in required:
        if not out.get(variety):
            raise KnowledgeError(file, f"{key}.{variety}", "is missing or empty")
    return out


def _validate_fact(name: str, fact: Any, file: str) -> dict[str, Any]:
    where = f"facts.{name}"
    if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise KnowledgeError(file, where, "names are lowercase_with_underscores")
    if not isinstance(fact, dict):
        raise KnowledgeError(file, where, "must be a mapping such as {amount: 100000, currency: MAD}")
    kinds = {"amount", "percent", "number", "date", "year", "text"} & set(fact)
    if len(kinds) != 1:
        raise KnowledgeError(file, where, "needs exactly one of amount, percent, number, date, year, text")
    kind = kinds.pop()
    allowed = {kind, "currency", "unit", "note"}
    if set(fact) - allowed:
        raise KnowledgeError(file, where, f"unexpected keys {sorted(set(fact) - allowed)}")
    try:
        if kind in ("amount", "percent", "number") and not isinstance(fact[kind], (int, float)):
            raise ValueError(f"{kind} must be a number")
        if "currency" in fact and fact["currency"] not in CURRENCIES:
            raise ValueError(f"currency must be one of {sorted(CURRENCIES)}")
        if "unit" in fact and fact["unit"] not in UNITS:
            raise ValueError(f"unit must be one of {sorted(UNITS)}")
        if kind == "date":
            fact = {**fact, "date": as_date(fact["date"])}
        if kind == "year" and not isinstance(fact["year"], int):
            raise ValueError("year must be an integer")
        if kind == "text":
            texts = fact["text"]
            if not isinstance(texts, dict) or any(not isinstance(texts.get(lang), str) for lang in LANGUAGES):
                raise ValueError("text must map fr, ar and en to strings")
    except ValueError as exc:
        raise KnowledgeError(file, where, str(exc)) from None
    return fact


#: the one name of the review date (entries and knowledge/rules); `verified_on` was its old name
RENAMED_REVIEW: Final = "renamed reviewed_on: the date the entry was last reviewed, not a verification of the sites"

KNOWN_FIELDS: Final = frozenset({
    "id", "topic", "subject", "facet", "status", "reviewed_on", "facts", "title", "answer",
    "caveat", "synonyms", "keywords", "questions", "sources", "related", "short",
})


def _check_fields(data: Any, file: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise KnowledgeError(file, "(document)", "must be a YAML mapping")
    if "verified_on" in data:
        raise KnowledgeError(file, "verified_on", RENAMED_REVIEW)
    unknown = set(data) - KNOWN_FIELDS
    if unknown:
        raise KnowledgeError(file, sorted(unknown)[0], "unknown field")
    return data


def _entry_id(data: Mapping[str, Any], file: str) -> str:
    entry_id = _need(data, "id", file, str)
    if not ID_RE.match(entry_id):
        raise KnowledgeError(file, "id", "use lowercase letters, digits and dashes")
    if file and Path(file).stem != entry_id:
        raise KnowledgeError(file, "id", f"must equal the file name ({Path(file).stem})")
    return str(entry_id)


def _topic_and_subject(data: Mapping[str, Any], file: str) -> tuple[str, str | None]:
    topic = _need(data, "topic", file, str)
    if topic not in TOPICS:
        raise KnowledgeError(file, "topic", f"must be one of {', '.join(TOPICS)}")
    subject = data.get("subject")
    if subject is not None:
        if not isinstance(subject, str) or ":" not in subject:
            raise KnowledgeError(file, "subject", "must be 'type:value', e.g. legal_form:sarl")
        stype, svalue = subject.split(":", 1)
        if stype not in ENTITY_TYPES or not re.fullmatch(r"[a-z0-9_]+", svalue):
            raise KnowledgeError(file, "subject", f"type must be one of {', '.join(ENTITY_TYPES)}, value lowercase_with_underscores")
    return str(topic), subject


def _status_and_review(data: Mapping[str, Any], file: str) -> tuple[str, dt.date]:
    status = _need(data, "status", file, str)
    if status not in STATUSES:
        raise KnowledgeError(file, "status", f"must be one of {', '.join(STATUSES)}")
    try:
        return str(status), as_date(data.get("reviewed_on"))
    except (TypeError, ValueError):
        raise KnowledgeError(file, "reviewed_on", "must be a date (YYYY-MM-DD)") from None


def _facts(data: Mapping[str, Any], file: str) -> dict[str, Any]:
    raw_facts = data.get("facts") or {}
    if not isinstance(raw_facts, dict):
        raise KnowledgeError(file, "facts", "must be a mapping")
    return {name: _validate_fact(name, fact, file) for name, fact in raw_facts.items()}


def _raw_texts(data: Mapping[str, Any], status: str, file: str) -> tuple[dict[str, dict[str, str]], list[Any]]:
    """Title, answer, caveat and short answers (`short[i]`) as written, and the raw `short` list."""
    raw_texts = {key: _texts(data, key, file, required=key != "caveat") for key in ("title", "answer", "caveat")}
    raw_short = data.get("short") or []
    if not isinstance(raw_short, list):
        raise KnowledgeError(file, "short", "must be a list of {when: [words], text: {fr, ar, en}}")
    for i, item in enumerate(raw_short):
        if not isinstance(item, dict) or not isinstance(item.get("when"), list) or not item["when"]:
            raise KnowledgeError(file, f"short[{i}].when", "must list the words that ask for this aspect")
        raw_texts[f"short[{i}]"] = _texts(item, "text", file)
    if status == "to_confirm" and not raw_texts["caveat"]:
        raise KnowledgeError(file, "caveat", "is required when status is to_confirm (say what is not confirmed and who confirms it)")
    return raw_texts, raw_short


def _check_placeholders(raw_texts: dict[str, dict[str, str]], facts: dict[str, Any], file: str) -> None:
    """Every placeholder names a fact, each fact is used, as often in every language."""
    used: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for key, texts in raw_texts.items():
        counts: dict[str, Counter[str]] = {}
        for lang, text in texts.items():
            try:
                counts[lang] = placeholder_counts(text)
            except ValueError as exc:
                raise KnowledgeError(file, f"{key}.{lang}", f"bad placeholder: {exc} (write braces as {{{{ and }}}})") from None
            missing = set(counts[lang]) - set(facts)
            if missing:
                raise KnowledgeError(file, f"{key}.{lang}", f"unknown fact {sorted(missing)[0]!r}")
            used[lang] |= set(counts[lang])
        # a fact (an amount, a condition such as "unanimously") stated twice in French and
        # once in Arabic means a sentence or a condition was lost in translation
        for lang in ("ar", "en"):
            if texts and counts[lang] != counts["fr"]:
                diff = sorted(n for n in set(counts[lang]) | set(counts["fr"]) if counts[lang][n] != counts["fr"][n])
                raise KnowledgeError(
                    file, f"{key}.{lang}",
                    f"facts used differ from French: {diff} (each fact as many times in every language)",
                )
    unused = set(facts) - used["fr"]
    if unused:
        raise KnowledgeError(file, f"facts.{sorted(unused)[0]}", "is never used in the texts")


def _check_rendered(rendered: dict[str, dict[str, str]], file: str) -> None:
    """Answers short enough for phones; the same numbers in every language."""
    for lang in LANGUAGES:
        if len(rendered["answer"][lang]) > MAX_ANSWER_CHARS:
            raise KnowledgeError(file, f"answer.{lang}", f"is longer than {MAX_ANSWER_CHARS} characters (keep answers short for phones)")
    numbers: dict[str, set[str]] = {
        lang: set().union(*(numbers_in(rendered[key][lang]) for key in rendered if rendered[key]))
        for lang in LANGUAGES
    }
    for lang in ("ar", "en"):
        if numbers[lang] != numbers["fr"]:
            only_here = sorted(numbers[lang] - numbers["fr"])
            only_fr = sorted(numbers["fr"] - numbers[lang])
            raise KnowledgeError(
                file, f"answer.{lang}",
                f"numbers differ from French (only here: {only_here}, only in French: {only_fr})",
            )


def _sources(data: Mapping[str, Any], facts: dict[str, Any], status: str, file: str) -> list[Source]:
    try:
        sources = parse_sources(data.get("sources"), set(facts))
        check_status(status, sources)
    except SourceError as exc:
        raise KnowledgeError(file, exc.field, exc.message) from None
    return sources


def _related(data: Mapping[str, Any], file: str) -> list[str]:
    related = data.get("related") or []
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        raise KnowledgeError(file, "related", "must be a list of entry ids")
    return list(related)


def validate_entry(data: Any, file: str) -> Entry:
    """Validate one parsed YAML document; raise `KnowledgeError` naming the field.

    The rules run in this order, so an entry with several faults reports the first."""
    data = _check_fields(data, file)
    entry_id = _entry_id(data, file)
    topic, subject = _topic_and_subject(data, file)
    facet = _need(data, "facet", file, str)
    status, reviewed_on = _status_and_review(data, file)
    facts = _facts(data, file)
    raw_texts, raw_short = _raw_texts(data, status, file)
    _check_placeholders(raw_texts, facts, file)
    rendered = {
        key: {lang: render_text(text, facts, lang) for lang, text in texts.items()}
        for key, texts in raw_texts.items()
    }
    _check_rendered(rendered, file)
    sources = _sources(data, facts, status, file)
    related = _related(data, file)
    return Entry(
        id=entry_id,
        topic=topic,
        subject=subject,
        facet=facet,
        status=status,
        reviewed_on=reviewed_on,
        facts=facts,
        title=rendered["title"],
        answer=rendered["answer"],
        caveat=rendered["caveat"],
        synonyms=_word_lists(data, "synonyms", file, required=()),
        keywords=_word_lists(data, "keywords", file, required=VARIETIES),
        questions=_word_lists(data, "questions", file, required=()),
        sources=sources,
        related=related,
        short=[(tuple(str(w) for w in item["when"]), rendered[f"short[{i}]"]) for i, item in enumerate(raw_short)],
        file=file,
        raw=data,
    )


def load_directory(directory: Path, *, partial: bool = False) -> list[Entry]:
    """Parse and validate every entry under `directory`; all-or-nothing.

    Raises `KnowledgeError` for the first invalid file, or for cross-entry problems
    (duplicate ids, `related` pointing nowhere). Files under `vocabulary/` and `rules/`
    (the plan's eligibility rules) and files starting with `_` or named README are not entries.
    """
    entries: list[Entry] = []
    files = sorted(
        p for p in directory.rglob("*.yml")
        if not {"vocabulary", "rules"} & set(p.relative_to(directory).parts) and not p.name.startswith("_")
    )
    if not files:
        raise KnowledgeError(str(directory), "(directory)", "contains no entries")
    for path in files:
        rel = str(path.relative_to(directory.parent)) if directory.parent != path else str(path)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise KnowledgeError(rel, "(document)", f"is not valid YAML: {exc}") from None
        entry = validate_entry(data, rel)
        if entry.topic != path.parent.name and path.parent != directory:
            raise KnowledgeError(rel, "topic", f"is {entry.topic!r} but the file is in {path.parent.name}/")
        entries.append(entry)
    seen: dict[str, str] = {}
    for entry in entries:
        if entry.id in seen:
            raise KnowledgeError(entry.file, "id", f"duplicates {seen[entry.id]}")
        seen[entry.id] = entry.file
    for entry in entries:
        for i, rid in enumerate(entry.related):
            if rid not in seen and not partial:
                raise KnowledgeError(entry.file, f"related[{i}]", f"unknown entry {rid!r}")
    return entries
