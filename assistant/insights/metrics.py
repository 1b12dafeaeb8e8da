"""Figures of the insights page and its CSV export, from the turn facts and the cases.

Computed in Python over the period's rows (a few columns per turn): the same code on
SQLite and PostgreSQL, and fast enough for months of a guidance unit's traffic.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from assistant.db.engine import session_scope
from assistant.db.models import Case, CaseEvent
from assistant.db.types import utcnow
from assistant.insights.models import InsightTurn
from assistant.languages import ANSWER_LANGUAGE

PERIODS = {"7": 7, "30": 30, "90": 90}
SERIES = ("conversations", "questions", "answered", "not_covered", "not_understood", "clarification",
          "helpful", "not_helpful", "handoffs", "cases_opened")
QUESTION_OUTCOMES = frozenset({"answered", "not_covered", "not_understood"})


@dataclass(frozen=True)
class Filters:
    days: int = 30
    variety: str | None = None
    channel: str | None = None
    topic: str | None = None

    @classmethod
    def from_query(cls, query: Any, varieties: tuple[str, ...], channels: list[str], topics: list[str]) -> Filters:
        """Unknown values are ignored (a filter that does not exist filters nothing)."""
        def pick(name: str, allowed: Any) -> str | None:
            value = query.get(name) or None
            return value if value in allowed else None

        return cls(
            days=PERIODS.get(query.get("period", ""), 30),
            variety=pick("variety", varieties),
            channel=pick("channel", channels),
            topic=pick("topic", topics),
        )

    def as_query(self) -> dict[str, str]:
        query = {"period": str(self.days)}
        for name in ("variety", "channel", "topic"):
            if getattr(self, name):
                query[name] = getattr(self, name)
        return query


@dataclass
class Insights:
    start: dt.datetime
    days: list[str]
    series: dict[str, list[int]]
    totals: dict[str, float | int | None]
    topics: dict[str, dict[str, int]] = field(default_factory=dict)
    varieties: dict[str, dict[str, int]] = field(default_factory=dict)


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _hours(values: list[float]) -> float | None:
    return round(statistics.median(values) / 3600, 1) if values else None


async def compute(filters: Filters, now: dt.datetime | None = None) -> Insights:
    now = now or utcnow()
    start = (now - dt.timedelta(days=filters.days - 1)).replace(hour=0, minute=0, second=0, microsecond=0)
    days = [(start + dt.timedelta(days=i)).date().isoformat() for i in range(filters.days)]
    query = select(
        InsightTurn.at, InsightTurn.conversation, InsightTurn.outcome, InsightTurn.topic, InsightTurn.variety,
        InsightTurn.clarification, InsightTurn.feedback, InsightTurn.handoff, InsightTurn.case_opened,
    ).where(InsightTurn.at >= start)
    if filters.variety:
        query = query.where(InsightTurn.variety == filters.variety)
    if filters.channel:
        query = query.where(InsightTurn.channel == filters.channel)
    if filters.topic:
        query = query.where(InsightTurn.topic == filters.topic)
    cases = select(Case.id, Case.created_at, Case.resolved_at).where(Case.created_at >= start)
    if filters.channel:
        cases = cases.where(Case.channel == filters.channel)
    if filters.topic:
        cases = cases.where(Case.topic == filters.topic)
    if filters.variety:
        cases = cases.where(Case.language == ANSWER_LANGUAGE.get(filters.variety, filters.variety))
    async with session_scope() as session:
        rows = (await session.execute(query)).all()
        case_rows = (await session.execute(cases)).all()
        pickups = (
            await session.execute(
                select(CaseEvent.case_id, CaseEvent.created_at).where(
                    CaseEvent.case_id.in_([c.id for c in case_rows] or [-1]),
                    CaseEvent.action.in_(("claimed", "assigned", "live_start", "reply")),
                ).order_by(CaseEvent.created_at)
            )
        ).all()

    index = {day: i for i, day in enumerate(days)}
    series = {name: [0] * len(days) for name in SERIES}
    conversations: dict[str, set[str]] = defaultdict(set)
    topics: dict[str, Counter[str]] = defaultdict(Counter)
    varieties: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        i = index.get(row.at.date().isoformat())
        if i is None:
            continue
        conversations[days[i]].add(row.conversation)
        if row.outcome in QUESTION_OUTCOMES:
            series["questions"][i] += 1
            series[row.outcome][i] += 1
            topics[row.topic or "none"][row.outcome] += 1
            varieties[row.variety or "unknown"][row.outcome] += 1
        series["clarification"][i] += int(row.clarification)
        series["helpful"][i] += int(row.feedback == 1)
        series["not_helpful"][i] += int(row.feedback == -1)
        series["handoffs"][i] += int(row.handoff)
        series["cases_opened"][i] += int(row.case_opened)
    series["conversations"] = [len(conversations[day]) for day in days]

    first_pickup: dict[int, dt.datetime] = {}
    for case_id, at in pickups:
        first_pickup.setdefault(case_id, at)
    pickup_seconds = [(first_pickup[c.id] - c.created_at).total_seconds() for c in case_rows if c.id in first_pickup]
    resolution_seconds = [(c.resolved_at - c.created_at).total_seconds() for c in case_rows if c.resolved_at]

    total = {name: sum(values) for name, values in series.items()}
    total["conversations"] = len({r.conversation for r in rows})
    questions = int(total["questions"])
    totals: dict[str, float | int | None] = {
        **total,
        "answer_rate": _rate(int(total["answered"]), questions),
        "not_covered_rate": _rate(int(total["not_covered"]), questions),
        "not_understood_rate": _rate(int(total["not_understood"]), questions),
        "clarification_rate": _rate(int(total["clarification"]), questions),
        "helpful_rate": _rate(int(total["helpful"]), int(total["helpful"]) + int(total["not_helpful"])),
        "cases": len(case_rows),
        "pickup_hours": _hours(pickup_seconds),
        "resolution_hours": _hours(resolution_seconds),
    }
    return Insights(
        start=start, days=days, series=series, totals=totals,
        topics={k: dict(v) for k, v in sorted(topics.items())},
        varieties={k: dict(v) for k, v in sorted(varieties.items())},
    )


def csv_rows(insights: Insights) -> list[list[str]]:
    """One row per day, then the period's totals."""
    header = ["day", *SERIES]
    body = [[day, *(str(insights.series[name][i]) for name in SERIES)] for i, day in enumerate(insights.days)]
    totals = [["total", *(str(insights.totals[name]) for name in SERIES)]]
    rates = [[name, "" if insights.totals[name] is None else str(insights.totals[name])] for name in (
        "answer_rate", "not_covered_rate", "not_understood_rate", "clarification_rate", "helpful_rate",
        "cases", "pickup_hours", "resolution_hours")]
    return [header, *body, *totals, [], *rates]


