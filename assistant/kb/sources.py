"""Where an entry's facts come from: sources with a kind and an honest date.

Each source of an entry says what kind it is (`official`, `law`, `press`,
`secondary`), how precisely it is dated (an exact day, a month, a year, or
`undated`; `approximate: true` for "about 2025"), and which facts it supports
(`supports: [fact names]`; without it, the source supports the whole text).
A confirmed entry needs an official or law source, or a press article that
quotes the official body (`quotes: OMPIC`); secondary sources alone leave the
entry `to_confirm`. Every structured fact must be supported by a source.

Answers list the sources official first, newest first, with their dates in the
user's language, and a review line that says what was done and when.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import yaml

SOURCE_KINDS: Final = ("official", "law", "press", "secondary")
#: The kinds that can make an entry `confirmed` on their own.
AUTHORITATIVE: Final = frozenset({"official", "law"})
PRECISIONS: Final = ("day", "month", "year", "undated")
UNDATED: Final = "undated"
#: Unicode isolates keep URLs and dates left-to-right inside Arabic text.
LRI, FSI, PDI = "\u2066", "\u2068", "\u2069"

KIND_LABELS: Final[dict[str, dict[str, str]]] = {
    "official": {"fr": "officiel", "ar": "رسمي", "en": "official"},
    "law": {"fr": "texte juridique", "ar": "نص قانوني", "en": "legal text"},
    "press": {"fr": "presse", "ar": "صحافة", "en": "press"},
    "secondary": {"fr": "source secondaire", "ar": "مصدر ثانوي", "en": "secondary source"},
}
UNDATED_LABEL: Final = {"fr": "non daté", "ar": "غير مؤرخ", "en": "undated"}
APPROXIMATE_LABEL: Final = {"fr": "vers {}", "ar": "حوالي {}", "en": "about {}"}
REVIEW_LINE: Final = {
    "fr": "Sources consultées jusqu'en {newest} · revue le {reviewed}",
    "ar": "مصادر مؤرخة إلى غاية {newest} · روجعت في {reviewed}",
    "en": "Sources dated up to {newest} · reviewed on {reviewed}",
}
REVIEW_LINE_UNDATED: Final = {
    "fr": "Sources non datées · revue le {reviewed}",
    "ar": "مصادر غير مؤرخة · روجعت في {reviewed}",
    "en": "Undated sources · reviewed on {reviewed}",
}
_DATE_RE: Final = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
OFFICIAL_DOMAINS_FILE: Final = Path(__file__).with_name("official_domains.yml")


@functools.cache
def official_domains() -> frozenset[str]:
    """Sites whose pages may be `official` or `law` (official_domains.yml)."""
    data = yaml.safe_load(OFFICIAL_DOMAINS_FILE.read_text(encoding="utf-8")) or {}
    return frozenset(str(d).lower().strip(".") for d in data.get("domains") or [])


def on_official_site(url: str) -> bool:
    """Whether the URL's host is an official domain or one of its subdomains."""
    host = (urlsplit(url).hostname or "").lower().strip(".")
    return any(host == d or host.endswith("." + d) for d in official_domains())


class SourceError(ValueError):
    """A source is malformed; `field` is relative to the entry (e.g. `sources[2].date`)."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    kind: str
    date: dt.date | None  # first day of the month/year when less precise
    precision: str  # day | month | year | undated
    approximate: bool = False
    supports: tuple[str, ...] = ()  # fact names (see `tied`)
    quotes: str | None = None  # the official body a press article quotes
    tied: bool = False  # `supports` given: exactly those facts (none: background of the text only)

    @property
    def whole(self) -> bool:
        """A source without `supports` stands behind the whole text, every fact included."""
        return not self.tied

    @property
    def authoritative(self) -> bool:
        return self.kind in AUTHORITATIVE or (self.kind == "press" and bool(self.quotes))

    @property
    def sort_key(self) -> tuple[int, int, str]:
        """Official first, then newest (undated last)."""
        rank = {"official": 0, "law": 0, "press": 1, "secondary": 2}[self.kind]
        age = -self.date.toordinal() if self.date else 0
        return (rank, age, self.title)


def parse_date(value: Any) -> tuple[dt.date | None, str]:
    """`2024-07-19`, `2024-07`, `2024` or `undated` -> (date, precision)."""
    if isinstance(value, dt.datetime):
        return value.date(), "day"
    if isinstance(value, dt.date):
        return value, "day"
    text = str(value).strip()
    if text == UNDATED:
        return None, UNDATED
    match = _DATE_RE.match(text)
    if not match:
        raise ValueError("use YYYY-MM-DD, YYYY-MM, YYYY or 'undated'")
    year, month, day = match.group(1), match.group(2), match.group(3)
    date = dt.date(int(year), int(month or 1), int(day or 1))
    return date, "day" if day else "month" if month else "year"


def parse_sources(raw: Any, fact_names: Collection[str]) -> list[Source]:
    """Validate the `sources:` list of an entry (raises SourceError naming the field)."""
    if not isinstance(raw, list) or not raw:
        raise SourceError("sources", "is required: a list of {title, url, kind, date}")
    allowed = {"title", "url", "kind", "date", "approximate", "supports", "quotes"}
    sources: list[Source] = []
    for i, src in enumerate(raw):
        where = f"sources[{i}]"
        if not isinstance(src, dict):
            raise SourceError(where, "must have title, url, kind and date")
        extra = set(src) - allowed
        if extra:
            raise SourceError(f"{where}.{sorted(extra)[0]}", "unknown field")
        for key in ("title", "url", "kind", "date"):
            if key not in src or not str(src.get(key) or "").strip():
                hint = " (YYYY-MM-DD, YYYY-MM, YYYY or 'undated')" if key == "date" else ""
                raise SourceError(f"{where}.{key}", f"is required{hint}")
        url = str(src["url"]).strip()
        if not re.match(r"^https?://[^/\s]+\.[^/\s]+", url):
            raise SourceError(f"{where}.url", "must be an http(s) URL")
        kind = str(src["kind"])
        if kind not in SOURCE_KINDS:
            raise SourceError(f"{where}.kind", f"must be one of {', '.join(SOURCE_KINDS)}")
        if kind in AUTHORITATIVE and not on_official_site(url):
            raise SourceError(
                f"{where}.kind",
                f"{kind} needs the page of a public body or an official publication (assistant/kb/"
                "official_domains.yml); a law text reproduced on a private site is secondary",
            )
        try:
            date, precision = parse_date(src["date"])
        except ValueError as exc:
            raise SourceError(f"{where}.date", str(exc)) from None
        if date and date > dt.date.today():
            raise SourceError(f"{where}.date", "is in the future")
        supports = src.get("supports") or []
        if not isinstance(supports, list) or not all(isinstance(s, str) for s in supports):
            raise SourceError(f"{where}.supports", "must be a list of fact names")
        unknown = [s for s in supports if s not in fact_names]
        if unknown:
            raise SourceError(f"{where}.supports", f"unknown fact {unknown[0]!r}")
        quotes = src.get("quotes")
        if quotes is not None and (kind != "press" or not str(quotes).strip()):
            raise SourceError(f"{where}.quotes", "names the official body a press article quotes (press only)")
        sources.append(Source(
            title=str(src["title"]).strip(), url=url, kind=kind, date=date, precision=precision,
            approximate=bool(src.get("approximate", False)), supports=tuple(supports),
            quotes=str(quotes).strip() if quotes else None, tied="supports" in src,
        ))
    whole = any(s.whole for s in sources)
    if not whole:
        covered = {name for s in sources for name in s.supports}
        missing = sorted(set(fact_names) - covered)
        if missing:
            raise SourceError(f"facts.{missing[0]}", "has no source (list it in a source's `supports`)")
    return sources


def untied_facts(sources: Sequence[Source], fact_names: Collection[str]) -> list[str]:
    """Per-fact ties (what `make kb-check` requires of the repository's entries): every
    structured fact is named in the `supports` of at least one source, so an answer stating
    a figure cites the sources that give it, not every source of the entry. A source that
    backs the text but none of the figures says `supports: []`. Returns the untied facts."""
    tied = {name for s in sources for name in s.supports}
    return sorted(set(fact_names) - tied)


def check_status(status: str, sources: Sequence[Source]) -> None:
    """A confirmed entry rests on at least one official/law source (or press quoting one)."""
    if status == "confirmed" and not any(s.authoritative for s in sources):
        raise SourceError(
            "status",
            "confirmed needs an official or law source, or a press source with `quotes:` "
            "(secondary sources alone: use to_confirm with a caveat)",
        )


# --------------------------------------------------------------------------- rendering


def render_source_date(source: Source, lang: str) -> str:
    from assistant.kb.render import format_date, month_name

    if source.date is None:
        return UNDATED_LABEL[lang]
    if source.precision == "day":
        text = format_date(source.date, lang)
    elif source.precision == "month":
        text = f"{month_name(source.date.month, lang)} {source.date.year}"
    else:
        text = str(source.date.year)
    return APPROXIMATE_LABEL[lang].format(text) if source.approximate else text


def ordered(sources: Sequence[Source]) -> list[Source]:
    return sorted(sources, key=lambda s: s.sort_key)


def source_line(source: Source, lang: str) -> str:
    """`Title (official, 19 July 2024) — url`; the URL and date isolated in Arabic.

    The URL is left-to-right (LRI); the date is Arabic words and numbers ("24 نونبر 2023"), so it is
    isolated by its first strong letter (FSI): forced left-to-right it read "2023 نونبر 24".
    """
    date = render_source_date(source, lang)
    label = KIND_LABELS[source.kind][lang]
    if lang == "ar":
        return f"{source.title} ({label}، {FSI}{date}{PDI}) — {LRI}{source.url}{PDI}"
    return f"{source.title} ({label}, {date}) — {source.url}"


def sources_block(sources: Sequence[Source], lang: str, limit: int = 3) -> str:
    """The sources behind an answer, official and newest first, one per line."""
    lines = [f"• {source_line(s, lang)}" for s in ordered(sources)[:limit]]
    more = len(sources) - limit
    if more > 0:
        lines.append({"fr": f"(et {more} de plus)", "ar": f"(و{more} أخرى)", "en": f"(and {more} more)"}[lang])
    return "\n".join(lines)


def newest(sources: Sequence[Source]) -> Source | None:
    dated = [s for s in sources if s.date]
    return max(dated, key=lambda s: s.date or dt.date.min) if dated else None


def review_line(sources: Sequence[Source], reviewed_on: dt.date, lang: str) -> str:
    """What was done and when: the newest source's month and the review date."""
    from assistant.kb.render import format_date, month_name

    reviewed = format_date(reviewed_on, lang)
    latest = newest(sources)
    if latest is None or latest.date is None:
        line = REVIEW_LINE_UNDATED[lang].format(reviewed=reviewed)
    else:
        when = (
            f"{month_name(latest.date.month, lang)} {latest.date.year}"
            if latest.precision in ("day", "month") else str(latest.date.year)
        )
        line = REVIEW_LINE[lang].format(newest=when, reviewed=reviewed)
    return line if lang != "ar" else line.replace(reviewed, f"{FSI}{reviewed}{PDI}")  # Arabic month: FSI


def kind_counts(sources: Sequence[Source]) -> Mapping[str, int]:
    return {kind: sum(1 for s in sources if s.kind == kind) for kind in SOURCE_KINDS}
