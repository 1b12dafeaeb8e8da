"""Insights tables (app environment; SQLAlchemy 2). Migrations `0014_insights`, `0015_feedback`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assistant.db.models import Base, StaffUser
from assistant.db.types import utcnow

#: Rasa's `SQLEventBroker` table, renamed (see `broker.BROKER_TABLE`); created by Alembic
#: so its constraint is named. The consumer deletes each row once processed.
broker_events = Table(
    "broker_events",
    Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("data", Text),
)


class InsightTurn(Base):
    """One user message and what the assistant did with it. No conversation id (a hash),
    no text unless the turn was unanswered or rated (and then redacted)."""

    __tablename__ = "insights_turns"
    __table_args__ = (UniqueConstraint("conversation", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation: Mapped[str] = mapped_column(String(64), index=True)
    message_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(index=True)
    variety: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(2))
    channel: Mapped[str | None] = mapped_column(String(40))
    intent: Mapped[str | None] = mapped_column(String(80))
    confidence: Mapped[float | None] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(20), default="other", index=True)
    entry_id: Mapped[str | None] = mapped_column(String(120))
    topic: Mapped[str | None] = mapped_column(String(40))
    clarification: Mapped[bool] = mapped_column(default=False)
    handoff: Mapped[bool] = mapped_column(default=False)
    case_opened: Mapped[bool] = mapped_column(default=False)
    pending_text: Mapped[str | None] = mapped_column(Text)  # until the turn's outcome is known
    text: Mapped[str | None] = mapped_column(Text)  # redacted; unanswered or rated turns only
    feedback: Mapped[int | None] = mapped_column(Integer)  # +1 helpful, -1 not helpful
    feedback_comment: Mapped[str | None] = mapped_column(Text)  # typed feedback, redacted
    handled_at: Mapped[dt.datetime | None]


class SeenEvent(Base):
    """Events already counted: a redelivered event changes nothing."""

    __tablename__ = "insights_seen_events"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class CaseRating(Base):
    """An investor's rating of a closed case (1-5), asked once per case (`asked_at`)."""

    __tablename__ = "insights_case_ratings"

    reference: Mapped[str] = mapped_column(String(20), primary_key=True)
    conversation: Mapped[str] = mapped_column(String(64), index=True)  # hash, as in insights_turns
    topic: Mapped[str | None] = mapped_column(String(40))
    channel: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(2))
    asked_at: Mapped[dt.datetime | None]
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)  # redacted
    rated_at: Mapped[dt.datetime | None] = mapped_column(index=True)


class StaffRole(Base):
    """Role in the knowledge workflow: `adviser` (drafts) or `editor` (also publishes)."""

    __tablename__ = "staff_roles"

    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="adviser")


class OperatorSwitch(Base):
    """Hand a variety's or a topic's questions to the unit instead of answering them."""

    __tablename__ = "operator_switches"
    __table_args__ = (UniqueConstraint("scope", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(10))  # variety | topic
    value: Mapped[str] = mapped_column(String(40))
    handoff: Mapped[bool] = mapped_column(default=False)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class OperatorSwitchLog(Base):
    __tablename__ = "operator_switch_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(10))
    value: Mapped[str] = mapped_column(String(40))
    handoff: Mapped[bool]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[StaffUser | None] = relationship(lazy="joined")


DRAFT_STATUSES = ("draft", "in_review", "published", "rejected")


class KnowledgeDraft(Base):
    """A knowledge entry being written in the console, in the `knowledge/` file schema."""

    __tablename__ = "kb_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(120), index=True)
    topic: Mapped[str] = mapped_column(String(40))
    document: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    origin: Mapped[str | None] = mapped_column(String(120))  # "group:<key>" or "reply:<message id>"
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    review_note: Mapped[str | None] = mapped_column(Text)
    published_version_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    author: Mapped[StaffUser | None] = relationship(lazy="joined", foreign_keys=[author_id])
    reviewer: Mapped[StaffUser | None] = relationship(lazy="joined", foreign_keys=[reviewer_id])
