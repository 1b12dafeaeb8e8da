"""Tables of the project database (knowledge base, support cases, channel state).

Constraint names follow one convention so Alembic migrations are stable on SQLite
and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from assistant import contract
from assistant.db.naming import NAMING_CONVENTION
from assistant.db.types import UTCDateTime, utcnow


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


# ------------------------------------------------------------------ knowledge base


class KnowledgeVersion(Base):
    """One row per successful load; the newest is the live knowledge base."""

    __tablename__ = "kb_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    checksum: Mapped[str] = mapped_column(String(64), unique=True)
    entry_count: Mapped[int]
    vocabulary: Mapped[dict[str, Any]]  # the vocabulary/*.yml documents (cities, facets)
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    entries: Mapped[list[KnowledgeEntry]] = relationship(
        back_populates="version", cascade="all, delete-orphan", passive_deletes=True
    )


class KnowledgeEntry(Base):
    __tablename__ = "kb_entries"
    __table_args__ = (UniqueConstraint("version_id", "entry_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("kb_versions.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(120))
    facet: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20))
    reviewed_on: Mapped[dt.date] = mapped_column(Date)  # when the entry was reviewed (not a check of the sites)
    document: Mapped[dict[str, Any]]  # the validated source document (YAML as JSON)
    source_file: Mapped[str] = mapped_column(Text)

    version: Mapped[KnowledgeVersion] = relationship(back_populates="entries")


# ------------------------------------------------------------------ guidance-unit staff


class StaffUser(Base):
    """A guidance-unit staff account (created with `python -m assistant.service.users`)."""

    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(2), default="fr")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]


class LoginAttempt(Base):
    """Failed logins, for rate limiting across service replicas."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300), index=True)  # "ip:<addr>" or "email:<address>"
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class LoginCounter(Base):
    """Login attempts per account or client address in the current window, counted
    atomically *before* the password is checked (one UPDATE … RETURNING per attempt)."""

    __tablename__ = "login_counters"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)  # "email:<address>" or "ip:<addr>"
    window_start: Mapped[dt.datetime] = mapped_column(default=utcnow)
    count: Mapped[int] = mapped_column(default=0)


# ------------------------------------------------------------------ support cases

CASE_STATUSES = contract.CASE_STATUSES


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str | None] = mapped_column(String(20), unique=True)  # MRE-2026-000123
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(2))
    channel: Mapped[str] = mapped_column(String(40))
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    # contact and profile: personal data, erased on request (erased_at)
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    country: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(60), index=True)
    sector: Mapped[str | None] = mapped_column(String(200))
    stage: Mapped[str | None] = mapped_column(String(20))
    summary: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(40), index=True)
    transcript: Mapped[list[Any]] = mapped_column(default=list)
    consent_at: Mapped[dt.datetime | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    live: Mapped[bool] = mapped_column(default=False)  # staff took the conversation over
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    resolved_at: Mapped[dt.datetime | None]
    erased_at: Mapped[dt.datetime | None]

    assignee: Mapped[StaffUser | None] = relationship(lazy="joined")
    notes: Mapped[list[CaseNote]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseNote.id"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    messages: Mapped[list[StaffMessage]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="StaffMessage.id"
    )


class CaseNote(Base):
    """Internal note: visible to staff only."""

    __tablename__ = "case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="notes")
    author: Mapped[StaffUser | None] = relationship(lazy="joined")


class CaseEvent(Base):
    """Audit log of what happened to a case and who did it."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    case: Mapped[Case] = relationship(back_populates="events")
    actor: Mapped[StaffUser | None] = relationship(lazy="joined")


class StaffMessage(Base):
    """A staff reply to the investor; queued here, delivered by the action server."""

    __tablename__ = "staff_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    # one of assistant.contract.REPLY_STATES: pending | sending | stored | sent | delivered | failed
    status: Mapped[str] = mapped_column(String(20), default="pending")
    delivery_note: Mapped[str | None] = mapped_column(String(200))  # e.g. "whatsapp_template", "channel_refused"
    # the channel's id of the message (WhatsApp wamid, Twilio SID): its receipts mark it delivered
    channel_message_id: Mapped[str | None] = mapped_column(String(200), index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    sending_since: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[dt.datetime | None]

    case: Mapped[Case] = relationship(back_populates="messages")
    author: Mapped[StaffUser | None] = relationship(lazy="joined")


class Notification(Base):
    """Outbox of notifications to the unit (e-mail, webhook), sent and retried by the service."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # email | webhook
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None]


class ErasureRequest(Base):
    """An investor asked, in the chat, to erase their data: the service also deletes the
    conversation from the tracker store once the conversation is idle."""

    __tablename__ = "erasure_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(String(255), index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None]


class SpoolRejection(Base):
    """A case request the database refused for good, set aside from the action server's spool
    (assistant/cases/spool.py) and shown to staff until one of them dismisses it.

    `request` is the request as kept, JSON with every non-ASCII character escaped (a value
    the database refused, a lone surrogate, still fits); `conversation_digest` (sha256 of
    the conversation id, which may be a phone number) lets erasure find it.
    """

    __tablename__ = "spool_rejections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rejected_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    reason: Mapped[str] = mapped_column(String(100))
    conversation_digest: Mapped[str | None] = mapped_column(String(64), index=True)
    request: Mapped[str] = mapped_column(Text)
    dismissed_at: Mapped[dt.datetime | None]
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id", ondelete="SET NULL"))


class StaffSession(Base):
    """A staff login. Server-side, so logging out or disabling an account revokes it."""

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the cookie value
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[dt.datetime | None]  # idle timeout (STAFF_SESSION_IDLE_MINUTES)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)  # absolute timeout

    staff: Mapped[StaffUser] = relationship(lazy="joined")


# ------------------------------------------------------------------ creation plans


class CreationPlan(Base):
    """The investor's latest creation plan (one per conversation), served at /plan/<token>.pdf.

    `token` is random and unguessable; `documents` holds the rendered plan in fr/ar/en
    (assistant/plan/document.py) so the PDF and the case page need no knowledge lookup.
    """

    __tablename__ = "creation_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    conversation_id: Mapped[str] = mapped_column(String(255), unique=True)
    language: Mapped[str] = mapped_column(String(2))
    inputs: Mapped[dict[str, Any]]
    documents: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
