"""What investors thought: feedback on answers by topic and by entry, case ratings by
topic, and the latest (redacted) comments, for the insights page and its CSV export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from assistant.db.engine import session_scope
from assistant.insights.models import CaseRating, InsightTurn
from assistant.languages import ANSWER_LANGUAGE

LATEST_COMMENTS = 20


@dataclass
class Votes:
    helpful: int = 0
    not_helpful: int = 0

    @property
    def total(self) -> int:
        return self.helpful + self.not_helpful

    @property
    def rate(self) -> float | None:
        return round(self.helpful / self.total, 3) if self.total else None


@dataclass
class Ratings:
    values: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.values)

    @property
    def average(self) -> float | None:
        return round(sum(self.values) / len(self.values), 2) if self.values else None


@dataclass(frozen=True)
class Comment:
    at: dt.datetime
    kind: str  # "helpful" | "not_helpful" | "rating"
    topic: str | None
    subject: str | None  # the entry rated, or the case's rating (1-5)
    text: str


@dataclass
class FeedbackSummary:
    by_topic: dict[str, Votes]
    by_entry: dict[str, Votes]
    ratings_by_topic: dict[str, Ratings]
    ratings: Ratings
    comments: list[Comment]


async def summarise(start: dt.datetime, variety: str | None = None, channel: str | None = None,
                    topic: str | None = None) -> FeedbackSummary:
    turns = select(
        InsightTurn.at, InsightTurn.topic, InsightTurn.entry_id, InsightTurn.feedback, InsightTurn.feedback_comment
    ).where(InsightTurn.at >= start, InsightTurn.feedback.is_not(None))
    ratings = select(CaseRating).where(CaseRating.rated_at >= start, CaseRating.rating.is_not(None))
    if variety:
        turns = turns.where(InsightTurn.variety == variety)
        ratings = ratings.where(CaseRating.language == ANSWER_LANGUAGE.get(variety, variety))
    if channel:
        turns = turns.where(InsightTurn.channel == channel)
        ratings = ratings.where(CaseRating.channel == channel)
    if topic:
        turns = turns.where(InsightTurn.topic == topic)
        ratings = ratings.where(CaseRating.topic == topic)
    async with session_scope() as session:
        turn_rows = (await session.execute(turns)).all()
        rating_rows = (await session.scalars(ratings)).all()

    by_topic: dict[str, Votes] = defaultdict(Votes)
    by_entry: dict[str, Votes] = defaultdict(Votes)
    comments: list[Comment] = []
    for row in turn_rows:
        for votes in (by_topic[row.topic or "none"], by_entry[row.entry_id or "none"]):
            votes.helpful += int(row.feedback == 1)
            votes.not_helpful += int(row.feedback == -1)
        if row.feedback_comment:
            kind = "helpful" if row.feedback == 1 else "not_helpful"
            comments.append(Comment(row.at, kind, row.topic, row.entry_id, row.feedback_comment))
    by_rating_topic: dict[str, Ratings] = defaultdict(Ratings)
    overall = Ratings()
    for rating in rating_rows:
        assert rating.rating is not None and rating.rated_at is not None
        by_rating_topic[rating.topic or "none"].values.append(rating.rating)
        overall.values.append(rating.rating)
        if rating.comment:
            comments.append(Comment(rating.rated_at, "rating", rating.topic, str(rating.rating), rating.comment))
    comments.sort(key=lambda c: c.at, reverse=True)
    return FeedbackSummary(
        by_topic=dict(sorted(by_topic.items())),
        by_entry=dict(sorted(by_entry.items(), key=lambda item: (-item[1].not_helpful, item[0]))),
        ratings_by_topic=dict(sorted(by_rating_topic.items())),
        ratings=overall,
        comments=comments[:LATEST_COMMENTS],
    )


def csv_rows(summary: FeedbackSummary) -> list[list[str]]:
    """Feedback sections of the CSV export."""
    def rate(value: float | None) -> str:
        return "" if value is None else str(value)

    rows: list[list[str]] = [["feedback_by_topic", "helpful", "not_helpful", "helpful_rate"]]
    rows += [[k, str(v.helpful), str(v.not_helpful), rate(v.rate)] for k, v in summary.by_topic.items()]
    rows += [[], ["feedback_by_entry", "helpful", "not_helpful", "helpful_rate"]]
    rows += [[k, str(v.helpful), str(v.not_helpful), rate(v.rate)] for k, v in summary.by_entry.items()]
    rows += [[], ["case_rating_by_topic", "ratings", "average"]]
    rows += [[k, str(v.count), rate(v.average)] for k, v in summary.ratings_by_topic.items()]
    rows += [["total", str(summary.ratings.count), rate(summary.ratings.average)]]
    return rows
