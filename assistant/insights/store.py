"""Turn facts in the insights tables: recording broker events, privacy housekeeping.

Recording is idempotent: each event's content hash is remembered (`insights_seen_events`)
for the retention period, so a redelivered event changes nothing; turn rows are keyed
by (conversation hash, message id).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from assistant.contract import FEEDBACK_INTENTS, INTENT_TOPICS
from assistant.db.engine import session_scope
from assistant.db.models import Case, KnowledgeEntry
from assistant.db.types import utcnow
from assistant.insights.facts import (
    UNANSWERED,
    CaseRated,
    Fact,
    Feedback,
    MalformedEvent,
    TurnUpdate,
    UserTurn,
    conversation_key,
    event_key,
    interpret,
    stronger,
)
from assistant.insights.models import CaseRating, InsightTurn, SeenEvent, broker_events
from assistant.insights.redact import redact

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


async def _latest_turn(session: AsyncSession, conversation: str, at: dt.datetime) -> InsightTurn | None:
    return await session.scalar(
        select(InsightTurn)
        .where(InsightTurn.conversation == conversation, InsightTurn.at <= at + dt.timedelta(seconds=1))
        .order_by(InsightTurn.at.desc(), InsightTurn.id.desc())
        .limit(1)
    )


class Batch:
    """What one transaction already read: the seen keys of its events (one query for the
    batch instead of one per event) and the topics of the entries it met. Within one
    transaction the database does not change under it, so the answers are the same."""

    def __init__(self, seen: set[str]) -> None:
        self.seen = seen
        self.topics: dict[str, str | None] = {}


async def _entry_topic(session: AsyncSession, entry_id: str, batch: Batch | None = None) -> str | None:
    if batch is not None and entry_id in batch.topics:
        return batch.topics[entry_id]
    topic = await session.scalar(
        select(KnowledgeEntry.topic)
        .where(KnowledgeEntry.entry_id == entry_id)
        .order_by(KnowledgeEntry.version_id.desc())
        .limit(1)
    )
    if batch is not None:
        batch.topics[entry_id] = topic
    return topic


async def _apply_user(session: AsyncSession, fact: UserTurn) -> None:
    if fact.intent in FEEDBACK_INTENTS:  # a rating of an earlier turn, not a turn of its own
        return
    existing = await session.scalar(
        select(InsightTurn.id).where(
            InsightTurn.conversation == fact.conversation, InsightTurn.message_id == fact.message_id
        )
    )
    if existing is not None:
        return
    # the previous turns of this conversation are over: unrated answered turns lose their text
    await session.execute(
        update(InsightTurn)
        .where(InsightTurn.conversation == fact.conversation, InsightTurn.pending_text.is_not(None))
        .values(pending_text=None)
    )
    session.add(
        InsightTurn(
            conversation=fact.conversation,
            message_id=fact.message_id,
            at=fact.at,
            variety=fact.variety,
            language=fact.language,
            channel=fact.channel,
            intent=fact.intent,
            confidence=fact.confidence,
            outcome="not_understood" if fact.intent == "nlu_fallback" else "other",
            topic=INTENT_TOPICS.get(fact.intent or ""),
            pending_text=redact(fact.text) if fact.text and not fact.text.startswith("/") else None,
        )
    )
    await session.flush()


async def _apply_update(session: AsyncSession, fact: TurnUpdate, batch: Batch | None = None) -> None:
    turn = await _latest_turn(session, fact.conversation, fact.at)
    if turn is None:
        return
    turn.outcome = stronger(turn.outcome, fact.outcome) or "other"
    if fact.entry_id:
        turn.entry_id = fact.entry_id
        turn.topic = await _entry_topic(session, fact.entry_id, batch) or turn.topic
    turn.clarification = turn.clarification or fact.clarification
    turn.handoff = turn.handoff or fact.handoff
    turn.case_opened = turn.case_opened or fact.case_opened
    if turn.outcome in UNANSWERED:
        turn.text = turn.text or turn.pending_text
    elif turn.feedback is None:
        turn.text = None


async def _apply_feedback(session: AsyncSession, fact: Feedback) -> None:
    """The rated turn keeps its (redacted) question and the typed comment; the latest
    rating of a turn wins."""
    turn = await session.scalar(
        select(InsightTurn).where(
            InsightTurn.conversation == fact.conversation, InsightTurn.message_id == fact.message_id
        )
    )
    if turn is None:
        logger.info("insights: feedback on an unknown turn skipped")
        return
    turn.feedback = fact.value
    turn.text = turn.text or turn.pending_text or (redact(fact.question) if fact.question else None)
    turn.feedback_comment = redact(fact.comment) if fact.comment else None


async def _apply_rating(session: AsyncSession, fact: CaseRated) -> None:
    rating = await session.get(CaseRating, fact.reference)
    if rating is None:
        case = await session.scalar(select(Case).where(Case.reference == fact.reference))
        rating = CaseRating(
            reference=fact.reference,
            conversation=fact.conversation,
            topic=case.topic if case else None,
            channel=case.channel if case else None,
            language=case.language if case else None,
        )
        session.add(rating)
    elif rating.conversation != fact.conversation:
        logger.warning("insights: a rating of another conversation's case skipped")
        return
    rating.rating = fact.value
    rating.comment = redact(fact.comment) if fact.comment else None
    rating.rated_at = fact.at


async def apply_event(session: AsyncSession, event: dict[str, Any]) -> bool:
    """Record one event in the current transaction. False when it carries no fact or was
    seen before. Raises MalformedEvent (the caller logs and skips it)."""
    fact = interpret(event)
    if fact is None:  # most of a turn's events (actions, most slots and bot messages): nothing
        return False  # to record, so no key to remember either (a lookup, an insert and a flush each)
    key = event_key(event)
    if await session.get(SeenEvent, key) is not None:
        return False
    await _apply_fact(session, fact, key)
    return True


async def _apply_fact(session: AsyncSession, fact: Fact, key: str, batch: Batch | None = None) -> None:
    session.add(SeenEvent(key=key, seen_at=utcnow()))
    if isinstance(fact, UserTurn):
        await _apply_user(session, fact)
    elif isinstance(fact, TurnUpdate):
        await _apply_update(session, fact, batch)
    elif isinstance(fact, Feedback):
        await _apply_feedback(session, fact)
    elif isinstance(fact, CaseRated):
        await _apply_rating(session, fact)
    await session.flush()


async def record_event(event: dict[str, Any], engine: AsyncEngine | None = None) -> bool:
    """One event in its own transaction (the RabbitMQ consumer)."""
    async with session_scope(engine) as session:
        return await apply_event(session, event)


async def drain_broker_table(limit: int = 200, engine: AsyncEngine | None = None) -> int:
    """The SQL broker's side: read the oldest rows, record them and delete them, in one
    transaction (a crash replays the batch; seen events make that harmless)."""
    async with session_scope(engine) as session:
        rows = (
            await session.execute(
                select(broker_events.c.id, broker_events.c.data).order_by(broker_events.c.id).limit(limit)
            )
        ).all()
        facts: list[tuple[Fact, str]] = []
        for row_id, data in rows:
            try:
                event = decode(data or "")
                fact = interpret(event)
            except MalformedEvent as exc:
                logger.warning("insights: skipped malformed broker event %s (%s)", row_id, exc)
                continue
            if fact is not None:  # most events carry none: no key, no query
                facts.append((fact, event_key(event)))
        keys = {key for _, key in facts}
        seen = set((await session.scalars(select(SeenEvent.key).where(SeenEvent.key.in_(keys)))).all()) if keys else set()
        batch = Batch(seen)
        for fact, key in facts:
            if key in batch.seen:  # delivered before, or twice in this batch
                continue
            batch.seen.add(key)
            await _apply_fact(session, fact, key, batch)
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
