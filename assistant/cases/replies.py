"""Staff replies on their way to the investor: what the relay sends, retries and gives up.

States and limits are in assistant/contract.py (REPLY_*); the outcome of each send is
recorded by the Rasa process (assistant/delivery.py). Used by the action server (relay
action) and the guidance service (relay worker, "resend" in the console).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.cases.store import ConversationClosed, normalise_reference
from assistant.contract import (
    CLOSED_STATUSES,
    REPLY_FAILED,
    REPLY_PENDING,
    REPLY_SENDING,
    REPLY_STORED,
    reply_backoff,
)
from assistant.db.engine import session_scope
from assistant.db.models import Case, CaseEvent, StaffMessage, StaffUser
from assistant.db.types import utcnow

#: A reply left `sending` this long was never reported on by Rasa (it stopped): send it again.
SENDING_TIMEOUT = dt.timedelta(minutes=2)


class ReplyNotFound(LookupError):
    pass


class NotFailed(ValueError):
    """Only a failed reply can be sent again (any other is queued, on its way or arrived)."""


def _to_send() -> object:
    return or_(
        StaffMessage.status == REPLY_PENDING,
        and_(StaffMessage.status == REPLY_SENDING, StaffMessage.sending_since < utcnow() - SENDING_TIMEOUT),
    )


async def pending_messages_for(conversation_id: str, engine: AsyncEngine | None = None) -> list[StaffMessage]:
    """Replies of the conversation's cases still to send, oldest first: queued, or `sending` for too long."""
    async with session_scope(engine) as session:
        rows = await session.scalars(
            select(StaffMessage)
            .join(Case)
            .where(Case.conversation_id == conversation_id, _to_send())  # type: ignore[arg-type]
            .order_by(StaffMessage.id)
        )
        return list(rows)


async def mark_sending(message_ids: Sequence[int], note: str | None = None, engine: AsyncEngine | None = None) -> None:
    """The relay handed these replies to Rasa; Rasa's output channel records what happened
    (assistant/delivery.py): `sent`, `stored`, `pending` again, or `failed`."""
    if not message_ids:
        return
    async with session_scope(engine) as session:
        for message in await session.scalars(select(StaffMessage).where(StaffMessage.id.in_(message_ids))):
            message.status = REPLY_SENDING
            message.sending_since = utcnow()
            message.attempts = (message.attempts or 0) + 1
            message.delivery_note = note


async def mark_stored(message_ids: Sequence[int], engine: AsyncEngine | None = None) -> None:
    """These replies are already in the website conversation: the widget shows them on return."""
    if not message_ids:
        return
    async with session_scope(engine) as session:
        for message in await session.scalars(select(StaffMessage).where(StaffMessage.id.in_(message_ids))):
            if message.status in (REPLY_PENDING, REPLY_SENDING):
                message.status = REPLY_STORED


async def conversations_due(
    older_than: dt.timedelta, base_seconds: float, engine: AsyncEngine | None = None
) -> list[str]:
    """Conversations with a reply to relay again now: queued for `older_than` (Rasa was
    unreachable), or refused by the channel and past its backoff, or `sending` for too long."""
    now = utcnow()
    async with session_scope(engine) as session:
        rows = (
            await session.execute(
                select(Case.conversation_id, StaffMessage.status, StaffMessage.attempts,
                       StaffMessage.sending_since, StaffMessage.created_at)
                .join(Case)
                .where(_to_send())  # type: ignore[arg-type]
                .order_by(StaffMessage.id)
            )
        ).all()
    due: list[str] = []
    for conversation_id, status, attempts, last_try, created_at in rows:
        if status == REPLY_PENDING:
            since = _aware(last_try or created_at)
            wait = reply_backoff(attempts or 0, base_seconds) if last_try else older_than
            if now - since < wait:
                continue
        if conversation_id not in due:
            due.append(conversation_id)
    return due


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)  # SQLite drops the zone


async def resend_reply(
    reference: str, message_id: int, staff: StaffUser, engine: AsyncEngine | None = None
) -> StaffMessage:
    """A failed reply queued again by staff, with a fresh set of tries."""
    async with session_scope(engine) as session:
        case = await session.scalar(select(Case).where(Case.reference == normalise_reference(reference)))
        message = await session.scalar(
            select(StaffMessage).where(StaffMessage.id == message_id, StaffMessage.case_id == (case.id if case else -1))
        )
        if case is None or message is None:
            raise ReplyNotFound(reference)
        if case.erased_at is not None:
            raise ConversationClosed("erased")
        if case.status in CLOSED_STATUSES:
            raise ConversationClosed(case.status)
        if message.status != REPLY_FAILED:
            raise NotFailed(message.status)
        message.status, message.attempts, message.sending_since, message.delivery_note = REPLY_PENDING, 0, None, None
        session.add(CaseEvent(case_id=case.id, actor_id=staff.id, action="reply_resent", detail={"message": message_id}))
        return message
