"""Turn facts in the insights tables: recording broker events, privacy housekeeping.

Recording is idempotent: each event's content hash is remembered (`insights_seen_events`)
for the retention period, so a redelivered event changes nothing; turn rows are keyed
by (conversation hash, message id).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from assistant.db.engine import session_scope
from assistant.db.types import utcnow
from assistant.insights.facts import Fact, MalformedEvent, conversation_key, event_key, interpret
from assistant.insights.models import CaseRating, InsightTurn, SeenEvent, broker_events
from assistant.insights.recorder import record_facts

logger = logging.getLogger(__name__)

#: A turn's text waits this long for its outcome (or a rating) before being dropped.
PENDING_TEXT_TTL = dt.timedelta(hours=1)


def decode(body: bytes | str) -> dict[str, Any]:
    """A broker message body as an event; MalformedEvent when it is not one."""
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedEvent("not JSON") from exc
    if not isinstance(event, dict):
        raise MalformedEvent("event is not a JSON object")
    return event


async def apply_event(session: AsyncSession, event: dict[str, Any]) -> bool:
    """Record one event in the current transaction. False when it carries no fact or was
    seen before. Raises MalformedEvent (the caller logs and skips it)."""
    fact = interpret(event)
    if fact is None:  # most of a turn's events (actions, most slots and bot messages): nothing
        return False  # to record, so no key to remember either
    return await record_facts(session, [(fact, event_key(event))]) > 0


async def record_event(event: dict[str, Any], engine: AsyncEngine | None = None) -> bool:
    """One event in its own transaction."""
    async with session_scope(engine) as session:
        return await apply_event(session, event)


def facts_of(events: Iterable[tuple[object, bytes | str | None]]) -> list[tuple[Fact, str]]:
    """The facts of (label, message body) pairs, each with its event's key; a malformed
    body is logged (by its label) and skipped, an event without a fact costs nothing more."""
    facts: list[tuple[Fact, str]] = []
    for label, body in events:
        try:
            event = decode(body or "")
            fact = interpret(event)
        except MalformedEvent as exc:
            logger.warning("insights: skipped malformed event %s (%s)", label, exc)
            continue
        if fact is not None:  # most events carry none: no key, no query
            facts.append((fact, event_key(event)))
    return facts


async def record_bodies(bodies: Sequence[bytes | str], engine: AsyncEngine | None = None) -> int:
    """Several message bodies in one transaction (the RabbitMQ consumer's batch); returns
    how many facts were new."""
    facts = facts_of(enumerate(bodies))
    if not facts:
        return 0
    async with session_scope(engine) as session:
        return await record_facts(session, facts)


async def drain_broker_table(limit: int = 200, engine: AsyncEngine | None = None) -> int:
    """The SQL broker's side: read the oldest rows, record them and delete them, in one
    transaction (a crash replays the batch; seen events make that harmless)."""
    async with session_scope(engine) as session:
        rows = (
            await session.execute(
                select(broker_events.c.id, broker_events.c.data).order_by(broker_events.c.id).limit(limit)
            )
        ).all()
        await record_facts(session, facts_of((f"row {row_id}", data) for row_id, data in rows))
        if rows:
            await session.execute(delete(broker_events).where(broker_events.c.id <= rows[-1][0]))
    return len(rows)


async def housekeeping(retention_days: int, engine: AsyncEngine | None = None) -> None:
    """Retention: turns and seen-event keys older than the period go; pending texts of
    turns whose outcome never came go after an hour."""
    now = utcnow()
    cutoff = now - dt.timedelta(days=retention_days)
    async with session_scope(engine) as session:
        await session.execute(delete(InsightTurn).where(InsightTurn.at < cutoff))
        await session.execute(
            delete(CaseRating).where(or_(CaseRating.rated_at < cutoff, CaseRating.asked_at < cutoff))
        )
        await session.execute(delete(SeenEvent).where(SeenEvent.seen_at < cutoff))
        await session.execute(
            update(InsightTurn)
            .where(InsightTurn.pending_text.is_not(None), InsightTurn.at < now - PENDING_TEXT_TTL)
            .values(pending_text=None)
        )


async def erase_conversation(conversation_id: str, engine: AsyncEngine | None = None) -> None:
    """Erasure: the conversation's question texts, feedback and case ratings, and
    unprocessed events."""
    async with session_scope(engine) as session:
        await session.execute(
            update(InsightTurn)
            .where(InsightTurn.conversation == conversation_key(conversation_id))
            .values(text=None, pending_text=None, feedback=None, feedback_comment=None)
        )
        await session.execute(delete(CaseRating).where(CaseRating.conversation == conversation_key(conversation_id)))
        await session.execute(delete(broker_events).where(broker_events.c.sender_id == conversation_id))
