"""Rasa tracker store configured from one database URL (Rasa's own SQLTrackerStore).

How a turn is saved, changed from Rasa 3.6's `SQLTrackerStore.save` (profiled, #15):
- with an event broker (insights), stock Rasa first *retrieves the whole conversation
  again* (every event read, JSON-decoded and replayed into a tracker) only to know which
  events are new, then counts the stored events a second time to write them. Here they
  are counted once, and the same new events are published to the broker, in the same
  order and before they are written, as stock Rasa does;
- stock Rasa runs the database calls on the event loop, so every other conversation of
  the process waits while a commit waits for the disk: here the count and the write run in
  a worker thread (Rasa's lock store still serialises one conversation's turns);
- an embedded SQLite tracker database is put in write-ahead-log mode (as the project
  database already is): a commit is one synced append instead of a journal written, synced
  and deleted, readers do not wait for a writer, and a committed turn is as durable;
- an embedded SQLite database keeps its connections open in a pool (`pooled_sqlite_engine`):
  SQLAlchemy 1.4 (Rasa's) opens and closes a SQLite file's connection for every session,
  so each turn's count, write and read paid a connect, the WAL pragmas and, when the last
  connection closed, a checkpoint of the log into the database with its synced writes
  (about a fifth of the Rasa process's busy samples under load, `make bench-profile`);
- the stored events are not counted when the tracker came from this store's own read of the
  turn (`retrieve`): Rasa reads, updates and saves a conversation's tracker within one hold of
  the conversation's lock (the lock store: Redis when replicas share the database), so nothing
  else wrote to it meanwhile and the number read is the number stored. The tracker carries that
  number and its last stored event; when its events are no longer that prefix, or the tracker
  was not read here (a new conversation, a full tracker), the events are counted as before;
- each new event is turned into a dict once (stock Rasa does it for the broker and again for
  the row) and the turn's rows are written with one multi-row insert (`executemany`) instead of
  one ORM object and one INSERT each;
- a conversation is read as its `data` column only, the same query otherwise: stock Rasa
  builds an ORM object (identity map, instance state) for every stored event only to read
  that column;
- on PostgreSQL, replicas starting together create the `events` table one after the other
  (a transaction-independent advisory lock held while Rasa creates it): otherwise both ran
  CREATE TABLE, one failed on the catalogue's duplicate key, logged it and waited 5 s.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import URL, make_url
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

from assistant.settings import get_settings


class EnvironmentSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` reading `TRACKER_DATABASE_URL` (default: a SQLite file in `var/`)."""

    engine: Engine

    def __init__(self, domain: Domain | None = None, **kwargs: Any) -> None:
        url = make_url(get_settings().tracker_database_url)
        kwargs.pop("host", None)
        if url.get_backend_name() == "sqlite":
            db = url.database or "tracker.db"
            Path(db).parent.mkdir(parents=True, exist_ok=True)
            super().__init__(domain=domain, dialect="sqlite", db=db, **kwargs)
            self.engine.dispose()  # Rasa's engine (one connection per session): replaced by a pooled one
            self.engine = pooled_sqlite_engine(self.engine.url)
            sa_event.listen(self.engine, "connect", _write_ahead_log)
            self.sessionmaker = sessionmaker(bind=self.engine)
            return
        with _creating_tables(url):
            super().__init__(
                domain=domain,
                dialect=url.drivername,
                host=url.host,
                port=url.port,
                db=url.database or "rasa",
                username=url.username,
                password=url.password,
                query=dict(url.query),
                **kwargs,
            )

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        """The latest session's tracker, remembering how many of its events are stored."""
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            remember_stored(tracker)
        return tracker

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool) -> DialogueStateTracker | None:
        """Rasa 3.6's `_retrieve`, reading the events' JSON without ORM objects."""
        with self.session_scope() as session:
            query = self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions)
            serialised = query.with_entities(self.SQLEvent.data).all()
        events = [json.loads(data) for (data,) in serialised]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Store (and publish to the event broker) the tracker's events not stored yet."""
        stored = known_stored(tracker)
        if stored is None:
            stored = await asyncio.to_thread(self._count_stored, tracker.sender_id)
        new_events: list[Event] = list(itertools.islice(tracker.events, stored, len(tracker.events)))
        if not new_events:
            remember_stored(tracker)
            return
        dicts = [event.as_dict() for event in new_events]
        if self.event_broker is not None:  # as stock Rasa's _stream_new_events, with the same dicts
            for data in dicts:
                self.event_broker.publish({"sender_id": tracker.sender_id, **data})
        rows = [{
            "sender_id": tracker.sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        } for event, data in zip(new_events, dicts, strict=True)]
        await asyncio.to_thread(self._write, rows)
        remember_stored(tracker)

    def _count_stored(self, sender_id: str) -> int:
        with self.session_scope() as session:
            return int(self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count())

    def _write(self, rows: list[dict[str, Any]]) -> None:
        with self.session_scope() as session:
            session.execute(self.SQLEvent.__table__.insert(), rows)  # one executemany, in the rows' order
            session.commit()


#: Attribute of a tracker this store read or saved: (events stored, the last of them).
_STORED = "_assistant_stored_events"


def remember_stored(tracker: DialogueStateTracker) -> None:
    """Records that every event the tracker holds now is in the database."""
    events = tracker.events
    setattr(tracker, _STORED, (len(events), events[-1] if events else None))


def known_stored(tracker: DialogueStateTracker) -> int | None:
    """How many of the tracker's events are stored, when this store read or saved it and its
    events were only appended since; None otherwise (then they are counted)."""
    record: tuple[int, Event | None] | None = getattr(tracker, _STORED, None)
    if record is None:
        return None
    count, last = record
    events = tracker.events
    if count > len(events) or (events[count - 1] is not last if count else False):
        return None
    return count


#: PostgreSQL advisory-lock key taken while the tracker tables are created (any fixed number
#: that no other part of the project uses as a lock key).
_TABLE_CREATION_LOCK = 0x7472_6163_6B65


@contextlib.contextmanager
def _creating_tables(url: URL) -> Iterator[None]:
    """Holds a PostgreSQL session-level advisory lock, so that one replica at a time creates
    the tables; other databases need none (SQLite: one process per file)."""
    if url.get_backend_name() != "postgresql":
        yield
        return
    engine = sqlalchemy.create_engine(url, poolclass=NullPool)
    try:
        connection = engine.connect()
    except sqlalchemy.exc.OperationalError:  # not up yet: Rasa's own loop waits for it
        engine.dispose()
        yield
        return
    try:
        connection.execute(sqlalchemy.text("SELECT pg_advisory_lock(:key)"), {"key": _TABLE_CREATION_LOCK})
        yield
    finally:
        connection.close()  # ends the session, which releases its advisory lock
        engine.dispose()


def pooled_sqlite_engine(url: str | URL, pool_size: int = 5, **kwargs: Any) -> Engine:
    """A SQLite file's engine that keeps its connections open (SQLAlchemy 2.0's default;
    1.4 connects and disconnects per session). The connections move between Rasa's worker
    threads, one thread at a time (the pool hands each out once)."""
    return sqlalchemy.create_engine(url, poolclass=QueuePool, pool_size=pool_size,
                                    connect_args={"check_same_thread": False}, **kwargs)


def _write_ahead_log(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
