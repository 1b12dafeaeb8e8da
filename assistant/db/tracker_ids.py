"""Old tracker conversations move to the ids that carry their channel (`make db`).

Before issue #9 Rasa keyed conversations on the bare sender id: a WhatsApp number
(`212600000009`), Twilio's `whatsapp:+212…`, the widget's session secret, whatever a
REST client sent. Migration 0009 rewrote the cases; this moves the conversations of
Rasa's SQL tracker store (table `events` of TRACKER_DATABASE_URL, often another
database than DATABASE_URL, hence a step of `python -m assistant.db upgrade` rather
than an Alembic revision) so that an investor who writes again finds their history, the
console shows it with the case, and erasure (which deletes by the case's id) covers it.

Each event goes to the id of the channel that said the turn it belongs to: the
`input_channel` of the latest user message before it (the first one's for events
before any). So a conversation that a REST client once polluted by sending a WhatsApp
user's number is split: the user's turns go to `whatsapp:…`, the client's to `rest:…`.
Ids are made as migration 0009 made them (`conversation_ids.current_id`), so a case and
its conversation keep the same id. Ids that already carry the channel that used them
are left alone; the step is idempotent and records when it ran (table
`assistant_tracker_migrations` in the tracker database), so later runs do not scan.

Other stores need nothing: the lock store (memory or Redis) holds only short-lived
locks, and the in-memory tracker store does not survive a restart.
"""

from __future__ import annotations

import json
import logging
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection

from assistant import conversation_ids
from assistant.db.engine import get_engine

logger = logging.getLogger(__name__)

MARKER_TABLE = "assistant_tracker_migrations"
STEP = "conversation_ids"


def _channel_of(data: str | None) -> str | None:
    try:
        value = json.loads(data or "{}").get("input_channel")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


async def _exists(connection: AsyncConnection, table: str) -> bool:
    return bool(await connection.run_sync(lambda sync: sync.dialect.has_table(sync, table)))


async def _moves(connection: AsyncConnection, sender: str) -> dict[str, list[int]]:
    """New id -> event row ids, for the events of `sender` that change id."""
    rows = (await connection.execute(
        text("SELECT id, type_name, data FROM events WHERE sender_id = :sender ORDER BY timestamp, id"),
        {"sender": sender},
    )).all()
    first = next((_channel_of(row.data) for row in rows if row.type_name == "user"), None)
    channel, moves = first, defaultdict(list)
    for row in rows:
        if row.type_name == "user":
            channel = _channel_of(row.data)
        new = conversation_ids.current_id(sender, channel)
        if new != sender:
            moves[new].append(row.id)
    return moves


async def _candidates(connection: AsyncConnection) -> list[str]:
    """Senders without a known prefix, and prefixed ones whose user turns came from another channel."""
    senders = [row[0] for row in await connection.execute(text("SELECT DISTINCT sender_id FROM events"))]
    candidates = [s for s in senders if conversation_ids.split(s) is None]
    said = await connection.execute(text("SELECT sender_id, data FROM events WHERE type_name = 'user'"))
    for sender, data in said:
        if sender not in candidates and conversation_ids.current_id(sender, _channel_of(data)) != sender:
            candidates.append(sender)
    return candidates


def _sqlite_file_missing(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").exists()


async def migrate_tracker_ids(url: str) -> int:
    """Moves old conversations of the tracker store at `url`; returns how many events moved."""
    if _sqlite_file_missing(url):
        return 0  # no tracker store yet: nothing to move (and no file created)
    engine = get_engine(url)
    async with engine.begin() as connection:
        if not await _exists(connection, "events"):
            return 0
        if await _exists(connection, MARKER_TABLE) and (await connection.execute(
            text(f"SELECT 1 FROM {MARKER_TABLE} WHERE name = :step"), {"step": STEP}
        )).first():
            return 0
        moved = 0
        for sender in await _candidates(connection):
            for new, ids in (await _moves(connection, sender)).items():
                for start in range(0, len(ids), 500):
                    chunk = ids[start:start + 500]
                    marks = ", ".join(f":id{i}" for i in range(len(chunk)))
                    await connection.execute(
                        text(f"UPDATE events SET sender_id = :new WHERE id IN ({marks})"),
                        {"new": new, **{f"id{i}": value for i, value in enumerate(chunk)}},
                    )
                moved += len(ids)
        await connection.execute(text(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (name VARCHAR(64) PRIMARY KEY, done_at FLOAT NOT NULL)"
        ))
        await connection.execute(text(f"INSERT INTO {MARKER_TABLE} (name, done_at) VALUES (:step, :at)"),
                                 {"step": STEP, "at": time.time()})
    if moved:
        logger.info("tracker store: %d events moved to conversation ids with their channel", moved)
    return moved


async def migrate_or_report(url: str) -> int:
    """`make db`'s step: a tracker store that cannot be reached is reported, not fatal
    (Rasa creates it on first start; the step runs again with the next `make db`)."""
    try:
        return await migrate_tracker_ids(url)
    except (SQLAlchemyError, OSError) as exc:
        logger.warning("tracker store not migrated (%s); run `make db` again", type(exc).__name__)
        return 0
