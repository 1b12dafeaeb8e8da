"""Support cases in the database: opening (idempotent), status, staff operations.

Used by the action server (open, status, relay of staff replies) and by the guidance
service (queue, case page, claim, notes, replies, resolve, export, erase). Every
function is one unit of work (one session, one transaction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import selectinload

from assistant.contract import CLOSED_STATUSES, case_reference
from assistant.db.engine import session_scope
from assistant.db.models import (
    CASE_STATUSES,
    Case,
    CaseEvent,
    CaseNote,
    CreationPlan,
    Notification,
    StaffMessage,
    StaffUser,
)
from assistant.db.types import utcnow
from assistant.settings import get_settings

#: Conversation ids of erased cases: a digest of the old id (which may hold a phone number).
ERASED_PREFIX = "erased:"


def erased_id(conversation_id: str) -> str:
    if conversation_id.startswith(ERASED_PREFIX):
        return conversation_id
    return ERASED_PREFIX + hashlib.sha256(conversation_id.encode()).hexdigest()[:32]


class CaseNotFound(LookupError):
    pass


class InvalidTransition(ValueError):
    pass


class ConversationClosed(InvalidTransition):
    """A reply to a case that is closed or resolved, or whose data was erased: nobody would read it."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            "The investor's data was erased: no reply can be sent."
            if reason == "erased"
            else f"The case is {reason}: reopen it (status) before replying."
        )
        self.reason = reason


@dataclass(frozen=True)
class CaseRequest:
    """What the case form collected (personal data: only ever stored with consent)."""

    conversation_id: str
    channel: str
    language: str
    name: str
    country: str
    summary: str
    consent_at: dt.datetime
    email: str | None = None
    phone: str | None = None
    region: str | None = None
    sector: str | None = None
    stage: str | None = None
    topic: str | None = None
    transcript: Sequence[dict[str, Any]] = field(default_factory=list)

    def idempotency_key(self) -> str:
        """The same conversation submitting the same request twice opens one case."""
        parts = [self.conversation_id, self.name, self.email or "", self.phone or "", self.summary]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()

    def as_json(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in self.__dataclass_fields__}
        data["consent_at"] = self.consent_at.isoformat()
        data["transcript"] = list(self.transcript)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CaseRequest:
        data = dict(data)
        data["consent_at"] = dt.datetime.fromisoformat(data["consent_at"])
        return cls(**data)


def reference_for(case_id: int, year: int) -> str:
    return case_reference(year, case_id)


def _notifications_for(case: Case) -> list[Notification]:
    settings = get_settings()
    kinds = []
    if settings.smtp.enabled:
        kinds.append("email")
    if settings.notify_webhook_url:
        kinds.append("webhook")
    return [Notification(case_id=case.id, kind=kind) for kind in kinds]


async def open_case(request: CaseRequest, engine: AsyncEngine | None = None) -> tuple[Case, bool]:
    """Store a case (and its notifications, in the same transaction). Returns (case, created).

    A second submission of the same request returns the first case.
    """
    key = request.idempotency_key()
    try:
        async with session_scope(engine) as session:
            case = Case(
                idempotency_key=key,
                language=request.language,
                channel=request.channel,
                conversation_id=request.conversation_id,
                name=request.name,
                email=request.email,
                phone=request.phone,
                country=request.country,
                region=request.region,
                sector=request.sector,
                stage=request.stage,
                summary=request.summary,
                topic=request.topic,
                transcript=list(request.transcript),
                consent_at=request.consent_at,
            )
            session.add(case)
            await session.flush()
            case.reference = reference_for(case.id, case.created_at.year)
            session.add(CaseEvent(case_id=case.id, action="created", detail={"channel": request.channel}))
            session.add_all(_notifications_for(case))
        return case, True
    except IntegrityError:
        async with session_scope(engine) as session:
            existing = await session.scalar(select(Case).where(Case.idempotency_key == key))
        if existing is None:
            raise
        return existing, False


def normalise_reference(text: str) -> str:
    return text.strip().upper().replace(" ", "-")


async def case_for_requester(
    reference: str | None,
    conversation_id: str,
    engine: AsyncEngine | None = None,
) -> Case | None:
    """A case the requester may see: opened in this very conversation (whose id carries
    its channel: `whatsapp:212…` is only ever the signed WhatsApp sender). Without a
    reference: the conversation's latest case. Anything else is "not found", so
    references cannot be probed, and a phone number typed in another channel reads nothing."""
    async with session_scope(engine) as session:
        query = select(Case).where(Case.erased_at.is_(None), Case.conversation_id == conversation_id)
        if reference:
            query = query.where(Case.reference == normalise_reference(reference))
        return await session.scalar(query.order_by(Case.id.desc()).limit(1))


async def live_case_for_conversation(conversation_id: str, engine: AsyncEngine | None = None) -> Case | None:
    async with session_scope(engine) as session:
        return await session.scalar(
            select(Case).where(Case.conversation_id == conversation_id, Case.live.is_(True)).order_by(Case.id.desc())
        )


# ------------------------------------------------------------------ staff side


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    language: str | None = None
    region: str | None = None
    topic: str | None = None
    channel: str | None = None
    assignee_id: int | None = None
    limit: int = 50
    offset: int = 0


async def list_cases(filters: CaseFilters, engine: AsyncEngine | None = None) -> tuple[list[Case], int]:
    async with session_scope(engine) as session:
        query = select(Case)
        for column, value in (
            (Case.status, filters.status),
            (Case.language, filters.language),
            (Case.region, filters.region),
            (Case.topic, filters.topic),
            (Case.channel, filters.channel),
            (Case.assignee_id, filters.assignee_id),
        ):
            if value is not None and value != "":
                query = query.where(column == value)
        total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = await session.scalars(
            query.order_by(Case.created_at.desc(), Case.id.desc()).limit(filters.limit).offset(filters.offset)
        )
        return list(rows), total


async def _get(session: AsyncSession, reference: str, *, details: bool = False) -> Case:
    query = select(Case).where(Case.reference == normalise_reference(reference))
    if details:
        query = query.options(selectinload(Case.notes), selectinload(Case.events), selectinload(Case.messages))
    case = await session.scalar(query)
    if case is None:
        raise CaseNotFound(reference)
    return case


async def get_case(reference: str, engine: AsyncEngine | None = None) -> Case:
    async with session_scope(engine) as session:
        return await _get(session, reference, details=True)


def _audit(session: AsyncSession, case: Case, actor: StaffUser | None, action: str, **detail: Any) -> None:
    session.add(CaseEvent(case_id=case.id, actor_id=actor.id if actor else None, action=action, detail=detail))


async def claim_case(reference: str, staff: StaffUser, engine: AsyncEngine | None = None) -> Case:
    return await assign_case(reference, staff, staff, engine=engine, action="claimed")


async def assign_case(
    reference: str, assignee: StaffUser, actor: StaffUser, engine: AsyncEngine | None = None, action: str = "assigned"
) -> Case:
    async with session_scope(engine) as session:
        case = await _get(session, reference)
        if case.status in CLOSED_STATUSES:
            raise InvalidTransition(f"case is {case.status}")
        case.assignee_id = assignee.id
        if case.status == "new":
            case.status = "assigned"
        _audit(session, case, actor, action, assignee=assignee.email)
    return case


async def add_note(reference: str, staff: StaffUser, body: str, engine: AsyncEngine | None = None) -> CaseNote:
    async with session_scope(engine) as session:
        case = await _get(session, reference)
        note = CaseNote(case_id=case.id, author_id=staff.id, body=body)
        session.add(note)
        _audit(session, case, staff, "note")
    return note


async def queue_reply(reference: str, staff: StaffUser, text: str, engine: AsyncEngine | None = None) -> StaffMessage:
    """Queue a staff reply; the action server delivers it on the investor's channel."""
    async with session_scope(engine) as session:
        case = await _get(session, reference)
        if case.erased_at is not None:
            raise ConversationClosed("erased")
        if case.status in ("resolved", "closed"):
            raise ConversationClosed(case.status)
        message = StaffMessage(case_id=case.id, author_id=staff.id, text=text)
        session.add(message)
        if case.assignee_id is None:
            case.assignee_id = staff.id
        if case.status in ("new", "assigned"):
            case.status = "waiting_user"
        _audit(session, case, staff, "reply")
    return message


async def set_status(reference: str, status: str, staff: StaffUser, engine: AsyncEngine | None = None) -> Case:
    if status not in CASE_STATUSES:
        raise InvalidTransition(f"unknown status {status!r}")
    async with session_scope(engine) as session:
        case = await _get(session, reference)
        previous = case.status
        case.status = status
        case.resolved_at = utcnow() if status in CLOSED_STATUSES else None
        if status in CLOSED_STATUSES:
            case.live = False
        _audit(session, case, staff, "status", previous=previous, status=status)
    return case


async def set_topic(reference: str, topic: str | None, staff: StaffUser, engine: AsyncEngine | None = None) -> Case:
    """Staff file the request under another topic (the classification is only a first guess)."""
    async with session_scope(engine) as session:
        case = await _get(session, reference)
        previous = case.topic
        case.topic = topic
        _audit(session, case, staff, "topic", previous=previous, topic=topic)
    return case


async def set_live(reference: str, live: bool, staff: StaffUser, engine: AsyncEngine | None = None) -> Case:
    async with session_scope(engine) as session:
        case = await _get(session, reference)
        if live and case.status in CLOSED_STATUSES:
            raise InvalidTransition(f"case is {case.status}")
        case.live = live
        if live:
            case.assignee_id = case.assignee_id or staff.id
            if case.status == "new":
                case.status = "assigned"
        _audit(session, case, staff, "live_start" if live else "live_end")
    return case


def export_case(case: Case) -> dict[str, Any]:
    """Everything stored about a case, for the investor's right of access."""
    return {
        "reference": case.reference,
        "status": case.status,
        "language": case.language,
        "channel": case.channel,
        "created_at": case.created_at.isoformat(),
        "updated_at": case.updated_at.isoformat() if case.updated_at else None,
        "consent_at": case.consent_at.isoformat() if case.consent_at else None,
        "erased_at": case.erased_at.isoformat() if case.erased_at else None,
        "contact": {"name": case.name, "email": case.email, "phone": case.phone},
        "profile": {
            "country": case.country,
            "region": case.region,
            "sector": case.sector,
            "stage": case.stage,
            "topic": case.topic,
        },
        "summary": case.summary,
        "transcript": case.transcript,
        "staff_messages": [
            {"text": m.text, "status": m.status, "created_at": m.created_at.isoformat()} for m in case.messages
        ],
    }


async def record_event(reference: str, staff: StaffUser | None, action: str, engine: AsyncEngine | None = None) -> None:
    async with session_scope(engine) as session:
        _audit(session, await _get(session, reference), staff, action)


async def erase_case(reference: str, staff: StaffUser | None, engine: AsyncEngine | None = None) -> Case:
    """Erase the investor's personal data; the case skeleton and audit log remain. The
    conversation itself is deleted from the tracker store by the service once idle."""
    from assistant.db.models import ErasureRequest

    async with session_scope(engine) as session:
        case = await _get(session, reference, details=True)
        if not case.conversation_id.startswith(ERASED_PREFIX):
            session.add(ErasureRequest(conversation_id=case.conversation_id))
        await session.execute(delete(CreationPlan).where(CreationPlan.conversation_id == case.conversation_id))
        for attribute in ("name", "email", "phone", "country", "sector", "summary"):
            setattr(case, attribute, None)
        case.transcript = []
        # the id of a WhatsApp conversation is the phone number: keep only a digest
        case.conversation_id = erased_id(case.conversation_id)
        for message in case.messages:
            message.text = ""
            message.channel_message_id = None  # WhatsApp/Twilio ids lead back to the phone's messages
        for note in list(case.notes):  # staff notes talk about the investor
            await session.delete(note)
        case.erased_at = utcnow()
        case.live = False
        if case.status not in CLOSED_STATUSES:
            case.status = "closed"
        _audit(session, case, staff, "erased")
    return case


async def request_erasure(conversation_id: str, engine: AsyncEngine | None = None) -> int:
    """The investor asked, in the chat, to erase their data: every case of the
    conversation, then the conversation itself. Returns how many cases were erased."""
    from assistant.db.models import ErasureRequest

    async with session_scope(engine) as session:
        cases = (
            await session.scalars(
                select(Case).where(Case.conversation_id == conversation_id, Case.erased_at.is_(None))
            )
        ).all()
        references = [case.reference for case in cases if case.reference]
        if not references:
            session.add(ErasureRequest(conversation_id=conversation_id))
            await session.execute(delete(CreationPlan).where(CreationPlan.conversation_id == conversation_id))
    for reference in references:
        await erase_case(reference, None, engine)
    return len(references)
