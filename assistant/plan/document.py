"""The creation plan as a document: one JSON-able dict per language.

Built from the investor's answers, the rules data and the knowledge entries only: every
number is either the investor's own, a rule's (with its source) or an entry's fact (with
the entry's source and check date); computed amounts say "indicative". The same document
feeds the chat messages, the PDF and the guidance unit's case page.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assistant.kb.render import format_amount, format_date, render_fact
from assistant.kb.schema import Entry
from assistant.kb.sources import PDI, Source, ordered, render_source_date
from assistant.languages import LANGUAGES
from assistant.plan.legal_form import LegalAdvice, advise
from assistant.plan.precheck import PlanInputs, ProgrammeCheck, precheck
from assistant.plan.rules import Rules

TEXTS_FILE = Path(__file__).with_name("texts.yml")
FSI = "\u2068"  # first-strong isolate: a Latin title inside Arabic keeps its own direction
COUNTRY_NAMES: Mapping[str, Mapping[str, str]] = {
    "FR": {"fr": "France", "ar": "فرنسا", "en": "France"},
    "BE": {"fr": "Belgique", "ar": "بلجيكا", "en": "Belgium"},
    "NL": {"fr": "Pays-Bas", "ar": "هولندا", "en": "Netherlands"},
    "ES": {"fr": "Espagne", "ar": "إسبانيا", "en": "Spain"},
    "IT": {"fr": "Italie", "ar": "إيطاليا", "en": "Italy"},
    "DE": {"fr": "Allemagne", "ar": "ألمانيا", "en": "Germany"},
    "GB": {"fr": "Royaume-Uni", "ar": "المملكة المتحدة", "en": "United Kingdom"},
    "CA": {"fr": "Canada", "ar": "كندا", "en": "Canada"},
    "US": {"fr": "États-Unis", "ar": "الولايات المتحدة", "en": "United States"},
    "CH": {"fr": "Suisse", "ar": "سويسرا", "en": "Switzerland"},
    "SE": {"fr": "Suède", "ar": "السويد", "en": "Sweden"},
    "NO": {"fr": "Norvège", "ar": "النرويج", "en": "Norway"},
    "DK": {"fr": "Danemark", "ar": "الدنمارك", "en": "Denmark"},
    "AE": {"fr": "Émirats arabes unis", "ar": "الإمارات العربية المتحدة", "en": "United Arab Emirates"},
    "SA": {"fr": "Arabie saoudite", "ar": "السعودية", "en": "Saudi Arabia"},
    "QA": {"fr": "Qatar", "ar": "قطر", "en": "Qatar"},
    "MA": {"fr": "Maroc", "ar": "المغرب", "en": "Morocco"},
}


@functools.lru_cache(maxsize=1)
def texts() -> dict[str, Any]:
    data = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def t(path: str, lang: str, **values: Any) -> str:
    """A text of texts.yml by dotted path, filled with `values`."""
    node: Any = texts()
    for part in path.split("."):
        node = node[part]
    return str(node[lang]).format(**values)


@dataclass(frozen=True)
class Display:
    """How to show what the investor typed that is not a code."""

    region_label: Mapping[str, str] | None = None  # fr/ar/en name of the region
    sector_text: str | None = None                  # the investor's words for an unclassified sector


def money(value: float, lang: str) -> str:
    return format_amount(float(round(value)), "MAD", lang)


def percent(value: float, lang: str) -> str:
    return render_fact({"percent": value}, lang)


def _source(s: Source, lang: str) -> dict[str, str]:
    return {"title": s.title, "url": s.url, "kind": s.kind, "date": render_source_date(s, lang)}


def _cited(s: Source, lang: str) -> str:
    """ "Title, month year" for a sentence; in Arabic the (Latin) title is isolated, the date stays RTL."""
    date = render_source_date(s, lang)
    return f"{FSI}{s.title}{PDI}، {date}" if lang == "ar" else f"{s.title}, {date}"


def _entry_source(entry: Entry, lang: str, fact: str | None = None) -> dict[str, str]:
    """The source behind a fact (the entry's source that `supports` it), else its best source."""
    best = ordered(entry.sources)
    chosen = next((s for s in best if fact and fact in s.supports), best[0])
    return {
        "title": chosen.title, "url": chosen.url, "kind": chosen.kind, "date": render_source_date(chosen, lang),
        "reviewed": t("reviewed", lang, date=format_date(entry.reviewed_on, lang)),
    }


def _render_value(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        return render_fact(value, lang)
    return str(value)


def _inputs(inputs: PlanInputs, display: Display, rules: Rules, lang: str) -> list[dict[str, str]]:
    unknown = t("values.unknown", lang)
    country = COUNTRY_NAMES.get(inputs.country or "", {}).get(lang) if inputs.country else None
    if inputs.country == "other":
        country = t("values.other_country", lang)
    if inputs.region == "undecided":
        region = t("values.undecided", lang)
    else:
        region = (display.region_label or {}).get(lang) or unknown
    if inputs.sector == "other":
        sector = t("values.other_sector", lang, text=display.sector_text or "")
    else:
        sector = rules.sector_labels.get(inputs.sector or "", {}).get(lang) or unknown
    rows = [
        ("country", country or unknown),
        ("region", region),
        ("sector", sector),
        ("partners", t(f"values.{inputs.partners}", lang) if inputs.partners else unknown),
    ]
    if inputs.partners == "other":
        rows.append(("mre_stake", percent(inputs.mre_stake, lang) if inputs.mre_stake is not None else unknown))
    rows.append(("amount", money(inputs.amount, lang) if inputs.amount is not None else unknown))
    if inputs.fx_share is not None and inputs.amount is not None:
        fx = t("values.fx_of_amount", lang, share=percent(inputs.fx_share, lang), amount=money(inputs.amount * inputs.fx_share / 100, lang))
    else:
        fx = percent(inputs.fx_share, lang) if inputs.fx_share is not None else unknown
    rows += [("fx_share", fx), ("stage", t(f"values.{inputs.stage}", lang) if inputs.stage else unknown)]
    if inputs.turnover is not None or inputs.partners in (None, "alone") or inputs.stage == "extension":
        rows.append(("turnover", money(inputs.turnover, lang) if inputs.turnover is not None else unknown))
    rows.append(("capital", money(inputs.capital, lang) if inputs.capital is not None else unknown))
    rows.append(("jobs", _count(inputs.jobs) if inputs.jobs is not None else unknown))
    return [{"label": t(f"inputs.{key}", lang), "value": value} for key, value in rows]


def _legal(advice: LegalAdvice, rules: Rules, lang: str) -> dict[str, Any]:
    def one(key: str, value: Any) -> str:
        if key in ("threshold", "min_capital", "goods", "services", "turnover", "capital", "cap"):
            return money(value, lang)
        if isinstance(value, Source):
            return _cited(value, lang)
        if key in ("activity", "status"):
            return t(f"{key}_notes.{value}", lang)
        return _count(value)

    def fill(values: Mapping[str, Any]) -> dict[str, str]:
        return {k: one(k, v) for k, v in values.items()}

    return {
        "form": advice.form,
        "title": t("recommended", lang, form=t(f"forms.{advice.form}", lang)),
        "reasons": [t(f"reasons.{r.key}", lang, **fill(r.values)) for r in advice.reasons],
        "alternatives": [
            {"form": a.form, "text": f"{t(f'forms.{a.form}', lang)} : {t(f'reasons.{a.reason.key}', lang, **fill(a.reason.values))}" if lang == "fr"
             else f"{t(f'forms.{a.form}', lang)}: {t(f'reasons.{a.reason.key}', lang, **fill(a.reason.values))}"}
            for a in advice.alternatives
        ],
        "entry": advice.entry,
        "sources": _legal_sources(advice, rules, lang),
    }


def _legal_sources(advice: LegalAdvice, rules: Rules, lang: str) -> list[dict[str, str]]:
    """The sources of the figures the legal section shows: the recommended form's rule, the SA's
    minimum capital and the auto-entrepreneur ceilings when those alternatives are shown."""
    keys = [advice.form] + [a.form for a in advice.alternatives if a.form in ("sa", "auto_entrepreneur")]
    seen: dict[str, dict[str, str]] = {}
    for key in keys:
        rule = rules.forms.get(key)
        for source in ordered(rule.sources) if rule else ():
            seen.setdefault(source.url, _source(source, lang))
    return list(seen.values())


def _count(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _steps(inputs: PlanInputs, rules: Rules, entries: Mapping[str, Entry], lang: str) -> list[dict[str, Any]]:
    steps = []
    for step in rules.steps:
        entry = entries[step.entry]
        documents = []
        for doc in step.documents:
            count = entries["negative-certificate"].facts.get("names_count", {}).get("number") if doc == "three_names" else None
            documents.append(t(f"documents.{doc}", lang, count=_count(count)))
        figures = []
        for fig in step.figures:
            source_entry = entries[fig.entry]
            figures.append(
                {
                    "label": t(f"figure_labels.{fig.label}", lang),
                    "text": render_fact(source_entry.facts[fig.fact], lang),
                    "confirmed": source_entry.confirmed,
                    "source": _entry_source(source_entry, lang, fig.fact),
                }
            )
        steps.append(
            {
                "key": step.key,
                "title": t(f"steps.{step.key}", lang),
                "body": t(f"bodies.{step.body}", lang),
                "documents": documents,
                "figures": figures,
                "abroad": t(f"abroad.{step.abroad}", lang),
                "entry": step.entry,
                "confirmed": entry.confirmed,
                "source": _entry_source(entry, lang),
            }
        )
    return steps


def _condition_text(check: ProgrammeCheck, key: str, values: Mapping[str, Any], rules: Rules, lang: str) -> str:
    rule = check.rule
    if key == "sector":
        labels = [rules.sector_labels[s][lang] for s in values.get("sectors") or []]
        excluded = [rules.sector_labels[s][lang] for s in values.get("excluded") or []]
        if labels:
            return t("conditions.sector", lang, sectors=_join(labels, lang))
        return t("conditions.sector_any", lang, excluded=_join(excluded, lang))
    filled: dict[str, str] = {}
    for name, value in values.items():
        if name in ("min", "max") and key in ("min_project", "min_investment", "investment_band", "turnover_max"):
            filled[name] = money(value, lang)
        elif name == "min" and key in ("fx_share", "equity"):
            filled[name] = percent(value, lang)
        elif name == "max_age":
            filled[name] = render_fact({"number": value, "unit": "year"}, lang)
        elif value is not None:
            filled[name] = _count(value)
    if key == "returned_within":
        filled["years"] = _render_value(rule.values.get("returned_within"), lang)
    return t(f"conditions.{key}", lang, **filled)


def _amount_lines(check: ProgrammeCheck, lang: str) -> list[str]:
    a = check.amounts
    money_keys = {"grant", "grant_base", "grant_cap", "fx_minimum", "loan", "max_loan", "prime_max"}
    f = {k: (money(v, lang) if k in money_keys else percent(v, lang)) for k, v in a.items()}
    if check.key == "forsa":
        f["grant"] = money(a["grant"], lang)
    lines = []
    if check.key == "mdm_invest_classic" and "grant" in a:
        lines.append(t("amounts.grant", lang, grant=f["grant"], rate=f["grant_rate"], base=f["grant_base"]))
        if "grant_cap" in a:
            lines.append(t("amounts.grant_capped", lang, cap=f["grant_cap"]))
        if "fx_minimum" in a:
            lines.append(t("amounts.fx_minimum", lang, fx_minimum=f["fx_minimum"]))
    elif check.key == "intelaka":
        lines.append(t("amounts.loan_intelaka" if "loan" in a else "amounts.ceiling_intelaka", lang, **f))
    elif check.key == "forsa":
        lines.append(t("amounts.loan_forsa" if "loan" in a else "amounts.ceiling_forsa", lang, **f))
    elif check.key in ("charter_main", "charter_tpme"):
        lines.append(t("amounts.prime_max" if "prime_max" in a else "amounts.prime_cap", lang, **f))
    return lines


def _change_text(check: ProgrammeCheck, key: str, lang: str) -> str:
    values: dict[str, str] = {}
    if key == "clawback":
        values["years"] = _render_value(check.rule.values.get("clawback"), lang)
    if key == "later_editions":
        values["year"] = _render_value(check.rule.values.get("edition_year"), lang)
    return t(f"changes.{key}", lang, **values)


def _financing(checks: list[ProgrammeCheck], rules: Rules, lang: str) -> list[dict[str, Any]]:
    out = []
    for check in checks:
        out.append(
            {
                "key": check.key,
                "name": t(f"programmes.{check.key}", lang),
                "verdict": check.verdict,
                "verdict_text": t(f"verdicts.{check.verdict}", lang),
                "confirmed": check.rule.confirmed,
                "conditions": [
                    {"status": c.status, "mark": t(f"status_marks.{c.status}", lang), "text": _condition_text(check, c.key, c.values, rules, lang)}
                    for c in check.conditions
                ],
                "amounts": _amount_lines(check, lang),
                "changes": [_change_text(check, k, lang) for k in check.changes],
                "sources": [_source(s, lang) for s in check.rule.sources],
                "entry": check.rule.entry,
            }
        )
    return out


def _programmes(inputs: PlanInputs, rules: Rules, entries: Mapping[str, Entry], lang: str) -> list[dict[str, Any]]:
    out = []
    for p in rules.programmes_for(inputs.country):
        entry = entries.get(p.entry)
        if entry is None:
            continue
        out.append(
            {
                "entry": p.entry,
                "name": entry.title[lang],
                "period": t(f"periods.{p.period}", lang),
                "summary": entry.answer[lang],
                "confirmed": p.status == "confirmed" and entry.confirmed,
                "source": _entry_source(entry, lang),
            }
        )
    return out


def build_document(
    inputs: PlanInputs, display: Display, rules: Rules, entries: Mapping[str, Entry], lang: str, today: dt.date
) -> dict[str, Any]:
    """The plan in one language (JSON-able)."""
    region = (display.region_label or {}).get(lang)
    cri = t("cri", lang, region=region) if region and inputs.region not in (None, "undecided") else t("cri_undecided", lang)
    cri_entry = f"region-{inputs.region.replace('_', '-')}" if inputs.region and inputs.region != "undecided" else "cri-role"
    document: dict[str, Any] = {
        "language": lang,
        "title": t("title", lang),
        "indicative": t("indicative", lang),
        "generated": t("generated", lang, date=format_date(today, lang)),
        "headings": {k: v[lang] for k, v in texts()["headings"].items()},
        "inputs": _inputs(inputs, display, rules, lang),
        "legal": _legal(advise(inputs, rules), rules, lang),
        "cri": {"text": cri, "entry": cri_entry if cri_entry in entries else "cri-role"},
        "steps": _steps(inputs, rules, entries, lang),
        "financing": _financing(precheck(inputs, rules), rules, lang),
        "programmes": _programmes(inputs, rules, entries, lang),
        "unconfirmed": t("unconfirmed", lang),
        "to_confirm": t("verdicts.to_confirm", lang),
        "guidance": t("guidance", lang),
    }
    if rules.abroad_entry in entries:
        document["abroad_source"] = _entry_source(entries[rules.abroad_entry], lang)
    return document


def build_documents(
    inputs: PlanInputs, display: Display, rules: Rules, entries: Mapping[str, Entry], today: dt.date
) -> dict[str, dict[str, Any]]:
    """The plan in every language (the PDF can be downloaded in any of them)."""
    return {lang: build_document(inputs, display, rules, entries, lang, today) for lang in LANGUAGES}


def _join(items: list[str], lang: str) -> str:
    return ("، " if lang == "ar" else ", ").join(items)
