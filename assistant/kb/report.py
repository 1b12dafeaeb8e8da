"""`make kb-report`: which entries rest on old or weak sources.

Lists every entry by the age of its newest dated source (undated-only entries
first, then the oldest), with its status and how many sources of each kind it
has, so reviewers know where to look for a fresher or more official page.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from assistant.kb.schema import Entry
from assistant.kb.sources import SOURCE_KINDS, kind_counts, newest, untied_facts


def ties(entry: Entry) -> str:
    """`3/5`: facts named in a source's `supports`, of the entry's facts (`-`: no facts)."""
    if not entry.facts:
        return "-"
    return f"{len(entry.facts) - len(untied_facts(entry.sources, entry.facts))}/{len(entry.facts)}"


def report(entries: Sequence[Entry], today: dt.date | None = None) -> str:
    today = today or dt.date.today()

    def age(entry: Entry) -> float:
        latest = newest(entry.sources)
        return (today - latest.date).days / 365.25 if latest and latest.date else float("inf")

    header = f"{'entry':<38} {'status':<10} {'newest source':<14} {'age (y)':>7}  " + " ".join(
        f"{k[:5]:>5}" for k in SOURCE_KINDS
    ) + "  ties"
    lines = [header, "-" * len(header)]
    totals: Counter[str] = Counter()
    for entry in sorted(entries, key=lambda e: (-age(e), e.id)):
        latest = newest(entry.sources)
        counts = kind_counts(entry.sources)
        totals.update(counts)
        when = latest.date.isoformat()[: {"day": 10, "month": 7}.get(latest.precision, 4)] if latest and latest.date else "undated"
        years = "-" if age(entry) == float("inf") else f"{age(entry):.1f}"
        lines.append(
            f"{entry.id:<38} {entry.status:<10} {when:<14} {years:>7}  "
            + " ".join(f"{counts[k]:>5}" for k in SOURCE_KINDS)
            + f"  {ties(entry)}"
        )
    untied = [e.id for e in entries if untied_facts(e.sources, e.facts)]
    official = sum(1 for e in entries if any(s.kind in ("official", "law") for s in e.sources))
    confirmed = sum(1 for e in entries if e.confirmed)
    lines += [
        "",
        f"{len(entries)} entries, {confirmed} confirmed; {official} cite an official or law source.",
        "sources by kind: " + ", ".join(f"{k} {totals[k]}" for k in SOURCE_KINDS),
        f"facts tied to their sources: {len(entries) - len(untied)} of {len(entries)} entries"
        + (f"; untied: {', '.join(untied)}" if untied else ""),
    ]
    return "\n".join(lines)
