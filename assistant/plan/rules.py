"""The plan's rules, read from `knowledge/rules/*.yml` (data, not constants in code).

Eligibility conditions, rates, caps and thresholds live once in those files, each
programme with its knowledge entry, sources and status; this module only reads and
checks them. Pure Python + PyYAML: importable from both environments.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import yaml

from assistant.kb.render import as_date
from assistant.kb.schema import RENAMED_REVIEW
from assistant.kb.sources import Source, SourceError, check_status, parse_sources
from assistant.text import fold_latin, normalize_arabic

RULE_FILES: Final = ("financing.yml", "legal_forms.yml", "sectors.yml", "steps.yml")


class RulesError(ValueError):
    """A rules file is missing or malformed (names the file and the key)."""


@dataclass(frozen=True)
class Rule:
    """One programme's or legal form's rules."""

    key: str
    entry: str
    status: str
    sources: tuple[Source, ...]
    values: Mapping[str, Any]

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    def amount(self, name: str) -> float:
        return float(self._need(name)["amount"])

    def percent(self, name: str) -> float:
        return float(self._need(name)["percent"])

    def number(self, name: str) -> float:
        return float(self._need(name)["number"])

    def sectors(self, name: str = "sectors") -> frozenset[str]:
        return frozenset(self.values.get(name) or ())

    def _need(self, name: str) -> Mapping[str, Any]:
        value = self.values.get(name)
        if not isinstance(value, Mapping):
            raise RulesError(f"rule {self.key}: {name} is missing")
        return value


@dataclass(frozen=True)
class CountryProgramme:
    country: str
    entry: str
    status: str
    period: str


@dataclass(frozen=True)
class Figure:
    """A number shown in a step: fact `fact` of knowledge entry `entry`."""

    label: str
    entry: str
    fact: str


@dataclass(frozen=True)
class Step:
    key: str
    entry: str
    body: str
    documents: tuple[str, ...]
    figures: tuple[Figure, ...]
    abroad: str
    only_above: Figure | None = None


@dataclass(frozen=True)
class Rules:
    reviewed_on: dt.date  # the older review date of financing.yml and legal_forms.yml
    programmes: Mapping[str, Rule]
    forms: Mapping[str, Rule]
    country_programmes: tuple[CountryProgramme, ...]
    sector_labels: Mapping[str, Mapping[str, str]]
    sector_words: tuple[tuple[str, re.Pattern[str]], ...]
    steps: tuple[Step, ...] = ()
    abroad_entry: str = ""

    def sector_of(self, text: str) -> str | None:
        """The first sector (file order) whose words occur in `text`."""
        folded = _fold(text)
        for sector, pattern in self.sector_words:
            if pattern.search(folded):
                return sector
        return None

    def programmes_for(self, country: str | None) -> list[CountryProgramme]:
        return [p for p in self.country_programmes if p.country in (country, "*")]


def _fold(text: str) -> str:
    return fold_latin(normalize_arabic(text))


def _sources(raw: Any, where: str, status: str) -> tuple[Source, ...]:
    """The rule's sources, validated like a knowledge entry's (kind, ISO date, confirmed needs official/law)."""
    try:
        sources = parse_sources(raw, ())
        check_status(status, sources)
    except SourceError as exc:
        raise RulesError(f"{where}: {exc.field} {exc.message}") from None
    return tuple(sources)


def _rules(raw: Any, file: str, section: str) -> dict[str, Rule]:
    if not isinstance(raw, Mapping) or not raw:
        raise RulesError(f"{file}: {section} must be a mapping")
    out = {}
    for key, body in raw.items():
        where = f"{file}: {section}.{key}"
        if not isinstance(body, Mapping) or body.get("status") not in ("confirmed", "to_confirm") or not body.get("entry"):
            raise RulesError(f"{where}: needs entry and status (confirmed or to_confirm)")
        values = {k: v for k, v in body.items() if k not in ("entry", "status", "sources")}
        status = str(body["status"])
        out[str(key)] = Rule(str(key), str(body["entry"]), status, _sources(body.get("sources"), where, status), values)
    return out


def _figure(raw: Any, where: str) -> Figure:
    if not isinstance(raw, Mapping) or not raw.get("entry") or not raw.get("fact"):
        raise RulesError(f"{where}: needs entry and fact")
    return Figure(str(raw.get("label") or raw["fact"]), str(raw["entry"]), str(raw["fact"]))


def _steps(raw: Any) -> tuple[Step, ...]:
    out = []
    for i, body in enumerate((raw or {}).get("steps") or []):
        where = f"steps.yml: steps[{i}]"
        if not isinstance(body, Mapping) or not all(body.get(k) for k in ("key", "entry", "body", "abroad")):
            raise RulesError(f"{where}: needs key, entry, body and abroad")
        out.append(
            Step(
                key=str(body["key"]), entry=str(body["entry"]), body=str(body["body"]),
                documents=tuple(map(str, body.get("documents") or ())),
                figures=tuple(_figure(f, f"{where}.figures") for f in body.get("figures") or ()),
                abroad=str(body["abroad"]),
                only_above=_figure(body["only_above"], f"{where}.only_above") if body.get("only_above") else None,
            )
        )
    return tuple(out)


def _reviewed_on(document: Mapping[str, Any], file: str) -> dt.date:
    """`reviewed_on: YYYY-MM-DD`, the same name and meaning as in the entries."""
    if "verified_on" in document:
        raise RulesError(f"{file}: verified_on: {RENAMED_REVIEW}")
    value = document.get("reviewed_on")
    try:
        return as_date(value)
    except (TypeError, ValueError):
        raise RulesError(f"{file}: reviewed_on: must be a date (YYYY-MM-DD)") from None


def parse_rules(documents: Mapping[str, Any]) -> Rules:
    """Validate the rule documents (already parsed YAML)."""
    fin, forms, sectors = (documents.get(name) for name in RULE_FILES[:3])
    if not all(isinstance(d, Mapping) for d in (fin, forms, sectors)):
        raise RulesError("knowledge/rules: financing.yml, legal_forms.yml and sectors.yml are required")
    assert isinstance(fin, Mapping) and isinstance(forms, Mapping) and isinstance(sectors, Mapping)
    country = []
    for i, c in enumerate(fin.get("country_programmes") or []):
        if not isinstance(c, Mapping) or not c.get("country") or not c.get("entry") or c.get("period") not in ("past", "current"):
            raise RulesError(f"financing.yml: country_programmes[{i}] needs country, entry, period (past/current)")
        country.append(CountryProgramme(str(c["country"]), str(c["entry"]), str(c.get("status") or "to_confirm"), str(c["period"])))
    labels: dict[str, dict[str, str]] = {}
    words: list[tuple[str, re.Pattern[str]]] = []
    for key, body in (sectors.get("sectors") or {}).items():
        if not isinstance(body, Mapping) or set(body.get("label") or {}) < {"fr", "ar", "en"} or not body.get("words"):
            raise RulesError(f"sectors.yml: {key} needs label (fr, ar, en) and words")
        labels[str(key)] = dict(body["label"])
        alternatives = sorted({_fold(str(w)) for w in body["words"]}, key=len, reverse=True)
        pattern = "|".join(re.escape(w) for w in alternatives)
        words.append((str(key), re.compile(rf"(?<![\w])(?:{pattern})(?![\w])")))
    return Rules(
        reviewed_on=min(_reviewed_on(fin, "financing.yml"), _reviewed_on(forms, "legal_forms.yml")),
        programmes=_rules(fin.get("programmes"), "financing.yml", "programmes"),
        forms=_rules(forms.get("forms"), "legal_forms.yml", "forms"),
        country_programmes=tuple(country),
        sector_labels=labels,
        sector_words=tuple(words),
        steps=_steps(documents.get("steps.yml")),
        abroad_entry=str((documents.get("steps.yml") or {}).get("abroad_entry") or ""),
    )


def load_rules(directory: Path) -> Rules:
    documents = {}
    for name in RULE_FILES:
        path = directory / name
        try:
            documents[name] = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise RulesError(f"{path}: {exc}") from None
    return parse_rules(documents)


@functools.lru_cache(maxsize=4)
def rules_from(knowledge_dir: str) -> Rules:
    """Cached rules of a knowledge directory (`KNOWLEDGE_DIR`/rules)."""
    return load_rules(Path(knowledge_dir) / "rules")


def problems_with_entries(rules: Rules, entries: Mapping[str, Any]) -> list[str]:
    """What `make kb-check` refuses: a rule naming an entry that does not exist, or a rule
    `confirmed` while its entry is `to_confirm` (a rule is never surer than its entry)."""
    problems = []
    for section, table in (("programmes", rules.programmes), ("forms", rules.forms)):
        for key, rule in table.items():
            entry = entries.get(rule.entry)
            if entry is None:
                problems.append(f"{section}.{key}: entry {rule.entry!r} does not exist")
            elif rule.confirmed and not getattr(entry, "confirmed", False):
                problems.append(f"{section}.{key}: confirmed, but entry {rule.entry!r} is to_confirm")
    for i, programme in enumerate(rules.country_programmes):
        if programme.entry not in entries:
            problems.append(f"country_programmes[{i}]: entry {programme.entry!r} does not exist")
    for step in rules.steps:
        if step.entry not in entries:
            problems.append(f"steps.{step.key}: entry {step.entry!r} does not exist")
    return problems

