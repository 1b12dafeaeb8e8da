"""Recording a batch of turn facts with a few statements per batch, not several per fact (#15).

The facts are applied in their order to the turns they touch, held in memory: those turns are
read in one query, the entries' topics in another, and the result is written back with one
statement per kind of change (earlier pending texts cleared, stored turns changed, new turns,
seen-event keys). Each fact used to cost its own lookups, update and flush, about fifty
database round trips per turn through aiosqlite's thread. The rows written are the ones the
per-fact order wrote: a fact reads the turns as the facts before it in the batch left them.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from assistant.contract import FEEDBACK_INTENTS, INTENT_TOPICS
from assistant.db.models import Case, KnowledgeEntry
from assistant.db.types import utcnow
from assistant.insights.facts import UNANSWERED, CaseRated, Fact, Feedback, TurnUpdate, UserTurn, stronger
from assistant.insights.models import CaseRating, InsightTurn, SeenEvent
from assistant.insights.redact import redact

logger = logging.getLogger(__name__)

TURNS: Table = InsightTurn.__table__  # type: ignore[assignment]  # a Table, typed FromClause
SEEN: Table = SeenEvent.__table__  # type: ignore[assignment]
#: What facts change in a stored turn (the rest is set when the turn is created).
MUTABLE = ("outcome", "entry_id", "topic", "clarification", "handoff", "case_opened", "pending_text", "text",
           "feedback", "feedback_comment")
#: A bot message or slot belongs to the latest turn up to this much after its own time.
TURN_SLACK = dt.timedelta(seconds=1)
#: Orders the turns a batch adds after every stored one (they get the next ids, in this order).
_ADDED = 1 << 62


class _Turn:
    """One turn row as the facts so far left it; `order` breaks ties of time like its id."""

    __slots__ = ("order", "stored", "values")

    def __init__(self, values: dict[str, Any], order: int, stored: bool) -> None:
        self.values, self.order, self.stored = values, order, stored


class _Turns:
    """The turns a batch touches: those read before it and those it adds."""

    def __init__(self, rows: Iterable[dict[str, Any]]) -> None:
        self.by_message: dict[tuple[str, str], _Turn] = {}
        self.by_conversation: dict[str, list[_Turn]] = {}
        self.original: dict[int, dict[str, Any]] = {}
        self.added: list[_Turn] = []
        self.cleared: set[str] = set()  # conversations whose earlier turns lost their pending text
        for row in rows:
            self.original[row["id"]] = row
            self._index(_Turn(dict(row), row["id"], True))

    def _index(self, turn: _Turn) -> None:
        values = turn.values
        self.by_message[(values["conversation"], values["message_id"])] = turn
        self.by_conversation.setdefault(values["conversation"], []).append(turn)

    def add(self, values: dict[str, Any]) -> None:
        turn = _Turn(values, _ADDED + len(self.added), False)
        self.added.append(turn)
        self._index(turn)

    def latest(self, conversation: str, at: dt.datetime) -> _Turn | None:
        """The conversation's latest turn at `at` (by time, then id), as `_latest_turn` read it."""
        limit = at + TURN_SLACK
        candidates = [t for t in self.by_conversation.get(conversation, ()) if t.values["at"] <= limit]
        return max(candidates, key=lambda t: (t.values["at"], t.order), default=None)

    def changed(self) -> list[dict[str, Any]]:
        """Stored turns whose values the batch changed (`turn_id`, and `new_<column>` for each value)."""
        rows = []
        for turns in self.by_conversation.values():
            for turn in turns:
                if turn.stored and any(turn.values[c] != self.original[turn.values["id"]][c] for c in MUTABLE):
                    rows.append({"turn_id": turn.values["id"], **{f"new_{c}": turn.values[c] for c in MUTABLE}})
        return rows


async def _read_turns(session: AsyncSession, facts: Sequence[Fact]) -> _Turns:
    """In one query, every stored turn the facts may read: by message id (a user message already
    recorded, a rated turn) and, for turn updates, each conversation's latest turn at the earliest
    update's time plus every later one up to the last update's time."""
    by_message = [(f.conversation, f.message_id) for f in facts if isinstance(f, (UserTurn, Feedback))]
    updates = [f for f in facts if isinstance(f, TurnUpdate)]
    conditions = []
    if by_message:
        conditions.append(and_(TURNS.c.conversation.in_({c for c, _ in by_message}),
                               TURNS.c.message_id.in_({m for _, m in by_message})))
    if updates:
        conversations = {f.conversation for f in updates}
        low, high = min(f.at for f in updates) + TURN_SLACK, max(f.at for f in updates) + TURN_SLACK
        ranked = (
            select(TURNS.c.id, func.row_number().over(partition_by=TURNS.c.conversation,
                                                      order_by=(TURNS.c.at.desc(), TURNS.c.id.desc())).label("rank"))
            .where(TURNS.c.conversation.in_(conversations), TURNS.c.at <= low)
            .subquery()
        )
        conditions.append(and_(TURNS.c.conversation.in_(conversations), TURNS.c.at > low, TURNS.c.at <= high))
        conditions.append(TURNS.c.id.in_(select(ranked.c.id).where(ranked.c.rank == 1)))
    if not conditions:
        return _Turns(())
    rows = (await session.execute(select(TURNS).where(or_(*conditions)))).mappings()
    return _Turns(dict(row) for row in rows)


async def _read_topics(session: AsyncSession, facts: Sequence[Fact]) -> dict[str, str | None]:
    """The topic of each entry the facts name (its latest version's)."""
    entries = {f.entry_id for f in facts if isinstance(f, TurnUpdate) and f.entry_id}
    topics: dict[str, str | None] = dict.fromkeys(entries)
    if entries:
        rows = await session.execute(
            select(KnowledgeEntry.entry_id, KnowledgeEntry.topic)
            .where(KnowledgeEntry.entry_id.in_(entries))
            .order_by(KnowledgeEntry.version_id)
        )
        for entry_id, topic in rows:
            topics[entry_id] = topic  # the highest version comes last
    return topics


def _apply_user(turns: _Turns, fact: UserTurn) -> None:
    if fact.intent in FEEDBACK_INTENTS:  # a rating of an earlier turn, not a turn of its own
        return
    if (fact.conversation, fact.message_id) in turns.by_message:
        return
    # the previous turns of this conversation are over: unrated answered turns lose their text
    for turn in turns.by_conversation.get(fact.conversation, ()):
        turn.values["pending_text"] = None
    turns.cleared.add(fact.conversation)
    turns.add({
        "conversation": fact.conversation, "message_id": fact.message_id, "at": fact.at, "variety": fact.variety,
        "language": fact.language, "channel": fact.channel, "intent": fact.intent, "confidence": fact.confidence,
        "outcome": "not_understood" if fact.intent == "nlu_fallback" else "other", "entry_id": None,
        "topic": INTENT_TOPICS.get(fact.intent or ""), "clarification": False, "handoff": False,
        "case_opened": False,
        "pending_text": redact(fact.text) if fact.text and not fact.text.startswith("/") else None,
        "text": None, "feedback": None, "feedback_comment": None, "handled_at": None,
    })


def _apply_update(turns: _Turns, fact: TurnUpdate, topics: dict[str, str | None]) -> None:
    turn = turns.latest(fact.conversation, fact.at)
    if turn is None:
        return
    row = turn.values
    row["outcome"] = stronger(row["outcome"], fact.outcome) or "other"
    if fact.entry_id:
        row["entry_id"] = fact.entry_id
        row["topic"] = topics.get(fact.entry_id) or row["topic"]
    row["clarification"] = row["clarification"] or fact.clarification
    row["handoff"] = row["handoff"] or fact.handoff
    row["case_opened"] = row["case_opened"] or fact.case_opened
    if row["outcome"] in UNANSWERED:
        row["text"] = row["text"] or row["pending_text"]
    elif row["feedback"] is None:
        row["text"] = None


def _apply_feedback(turns: _Turns, fact: Feedback) -> None:
    """The rated turn keeps its (redacted) question and the typed comment; the latest
    rating of a turn wins."""
    turn = turns.by_message.get((fact.conversation, fact.message_id))
    if turn is None:
        logger.info("insights: feedback on an unknown turn skipped")
        return
    row = turn.values
    row["feedback"] = fact.value
    row["text"] = row["text"] or row["pending_text"] or (redact(fact.question) if fact.question else None)
    row["feedback_comment"] = redact(fact.comment) if fact.comment else None


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


async def record_facts(session: AsyncSession, facts: Sequence[tuple[Fact, str]]) -> int:
    """Record the facts (each with its event's key) in the current transaction, in order; a key
    seen before, or earlier in `facts`, is skipped. Returns how many facts were new."""
    keys = {key for _, key in facts}
    seen = set((await session.scalars(select(SeenEvent.key).where(SeenEvent.key.in_(keys)))).all()) if keys else set()
    fresh: list[Fact] = []
    new_keys: list[str] = []
    for fact, key in facts:
        if key in seen:  # delivered before, or twice in this batch
            continue
        seen.add(key)
        fresh.append(fact)
        new_keys.append(key)
    if not fresh:
        return 0
    turns = await _read_turns(session, fresh)
    topics = await _read_topics(session, fresh)
    rated = False
    for fact in fresh:
        if isinstance(fact, UserTurn):
            _apply_user(turns, fact)
        elif isinstance(fact, TurnUpdate):
            _apply_update(turns, fact, topics)
        elif isinstance(fact, Feedback):
            _apply_feedback(turns, fact)
        elif isinstance(fact, CaseRated):
            await _apply_rating(session, fact)
            rated = True
    await _write(session, turns, new_keys)
    if rated:
        await session.flush()
    return len(fresh)


async def _write(session: AsyncSession, turns: _Turns, new_keys: list[str]) -> None:
    """The batch's changes, one statement each: stored turns' pending texts cleared by a new
    turn of their conversation (before the new turns exist), stored turns the facts changed,
    the new turns in their order, the new keys."""
    if turns.cleared:
        await session.execute(
            update(TURNS)
            .where(TURNS.c.conversation.in_(turns.cleared), TURNS.c.pending_text.is_not(None))
            .values(pending_text=None)
        )
    changed = turns.changed()
    if changed:
        await session.execute(
            update(TURNS).where(TURNS.c.id == bindparam("turn_id")).values({c: bindparam(f"new_{c}") for c in MUTABLE}),
            changed,
        )
    if turns.added:
        await session.execute(insert(TURNS), [turn.values for turn in turns.added])
    now = utcnow()
    await session.execute(insert(SEEN), [{"key": key, "seen_at": now} for key in new_keys])
