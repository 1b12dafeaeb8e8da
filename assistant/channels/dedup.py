"""Which inbound messages were already handled (table `channel_inbound_messages`).

Meta re-delivers a webhook it thinks failed, Twilio may retry, and a restart loses
memory: the message id is claimed in the database *before* the webhook is acknowledged,
with the message itself, and marked handled only *after* it was processed. So a message
is answered once, across restarts and replicas, and one acknowledged but never answered
(Rasa killed meanwhile) is not lost: a claim left unfinished for STALE_AFTER is taken
again, by Meta's re-delivery or by the channel's recovery loop. Claims are an INSERT on
the primary key, and re-claims a compare-and-set UPDATE: atomic in SQLite and PostgreSQL.

Runs in the Rasa process: SQLAlchemy 1.4 Core with a synchronous driver (sqlite3,
psycopg2), each call in a worker thread so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading
import time
from collections import OrderedDict

from sqlalchemy import and_, create_engine, delete, insert, select, update
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assistant.db.channel_tables import channel_inbound_messages

logger = logging.getLogger(__name__)

#: Rows older than this are deleted: Meta stops re-delivering after a few days, and the
#: sender id is a phone number (personal data) that is not kept longer than needed.
RETENTION = dt.timedelta(days=30)
PRUNE_EVERY_SECONDS = 3600.0
#: Ids remembered in memory: spares a database round trip for fast re-deliveries and
#: still de-duplicates while the database is unreachable.
MEMORY_SIZE = 10_000
#: A claim not marked handled after this long belongs to a process that died: take it again.
STALE_AFTER = dt.timedelta(seconds=120)
#: Seconds a database call may take before it counts as failed (a database that hangs):
#: the message is then processed anyway, and Meta gets its acknowledgement in time.
DATABASE_TIMEOUT = 5.0

inbound_messages = channel_inbound_messages


def make_engine(database_url: str) -> Engine:
    """A synchronous engine for `DATABASE_URL` (`sqlite:///…` or `postgresql://…` via psycopg2)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # Other processes write the same file: wait for their lock instead of failing.
        return create_engine(url, future=True, connect_args={"timeout": 10})
    return create_engine(url, future=True, pool_pre_ping=True, pool_size=2, max_overflow=4,
                         connect_args={"connect_timeout": int(DATABASE_TIMEOUT)})


class InboundMessageLog:
    """Claims inbound message ids for one channel (`whatsapp`, `twilio`)."""

    def __init__(
        self, database_url: str, channel: str, engine: Engine | None = None, stale_after: dt.timedelta = STALE_AFTER
    ) -> None:
        self.channel = channel
        self.stale_after = stale_after
        self._database_url = database_url
        self._engine = engine
        self._engine_lock = threading.Lock()
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._last_prune = 0.0

    @property
    def engine(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                self._engine = make_engine(self._database_url)
            return self._engine

    async def claim(self, message_id: str, sender_id: str, payload: str | None = None) -> bool:
        """True when this message must be processed now; False for a duplicate (handled, or
        being handled). `payload` (the message) is kept until `done` for crash recovery.

        When the database fails the message is processed anyway (logged): answering
        is preferred to losing it, and the in-memory ids still catch quick re-deliveries.
        """
        if message_id in self._recent:
            return False
        self._remember(message_id)
        try:
            claimed = await asyncio.wait_for(
                asyncio.to_thread(self._claim, message_id, sender_id, payload), DATABASE_TIMEOUT
            )
        except (SQLAlchemyError, asyncio.TimeoutError) as exc:
            logger.error("%s: could not record inbound message %s (%s)", self.channel, message_id, type(exc).__name__)
            return True
        if not claimed:
            self._forget(message_id)
        return claimed

    def _claim(self, message_id: str, sender_id: str, payload: str | None) -> bool:
        now = dt.datetime.now(dt.timezone.utc)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(inbound_messages).values(
                        message_id=message_id, channel=self.channel, sender_id=sender_id, received_at=now,
                        payload=payload,
                    )
                )
        except IntegrityError:
            return self._reclaim(message_id, now)
        self._maybe_prune(now)
        return True

    def _reclaim(self, message_id: str, now: dt.datetime) -> bool:
        """Takes over a claim whose process died before answering: one compare-and-set UPDATE."""
        table = inbound_messages
        with self.engine.begin() as connection:
            result = connection.execute(
                update(table)
                .where(and_(table.c.message_id == message_id, table.c.handled_at.is_(None),
                            table.c.received_at < now - self.stale_after))
                .values(received_at=now)
            )
        if result.rowcount == 1:
            logger.warning("%s: message %s was never answered (process stopped?): handling it now",
                           self.channel, message_id)
            return True
        return False

    async def done(self, message_id: str) -> None:
        """Marks the message handled (and drops its text); failures are logged only."""
        try:
            await asyncio.wait_for(asyncio.to_thread(self._done, message_id), DATABASE_TIMEOUT)
        except (SQLAlchemyError, asyncio.TimeoutError) as exc:
            logger.error("%s: could not mark message %s handled (%s)", self.channel, message_id, type(exc).__name__)

    def _done(self, message_id: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(inbound_messages)
                .where(inbound_messages.c.message_id == message_id)
                .values(handled_at=dt.datetime.now(dt.timezone.utc), payload=None)
            )

    async def unfinished(self) -> list[tuple[str, str | None]]:
        """(message id, payload) of this channel's claims left unfinished for STALE_AFTER."""
        try:
            return await asyncio.wait_for(asyncio.to_thread(self._unfinished), DATABASE_TIMEOUT)
        except (SQLAlchemyError, asyncio.TimeoutError) as exc:
            logger.error("%s: could not look for unanswered messages (%s)", self.channel, type(exc).__name__)
            return []

    def _unfinished(self) -> list[tuple[str, str | None]]:
        table = inbound_messages
        cutoff = dt.datetime.now(dt.timezone.utc) - self.stale_after
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(table.c.message_id, table.c.payload)
                .where(table.c.channel == self.channel, table.c.handled_at.is_(None), table.c.received_at < cutoff)
                .limit(100)
            ).all()
        return [(row.message_id, row.payload) for row in rows]

    def _forget(self, message_id: str) -> None:
        self._recent.pop(message_id, None)

    def _maybe_prune(self, now: dt.datetime) -> None:
        if time.monotonic() - self._last_prune < PRUNE_EVERY_SECONDS:
            return
        self._last_prune = time.monotonic()
        try:
            with self.engine.begin() as connection:
                result = connection.execute(
                    delete(inbound_messages).where(
                        inbound_messages.c.channel == self.channel,
                        inbound_messages.c.received_at < now - RETENTION,
                    )
                )
            if result.rowcount:
                logger.info("%s: pruned %d inbound message ids", self.channel, result.rowcount)
        except SQLAlchemyError as exc:
            logger.warning("%s: pruning inbound message ids failed (%s)", self.channel, type(exc).__name__)

    def _remember(self, message_id: str) -> None:
        self._recent[message_id] = None
        while len(self._recent) > MEMORY_SIZE:
            self._recent.popitem(last=False)

    def release(self, message_id: str) -> None:
        """Lets a later claim of this message succeed in this process (it was not answered)."""
        self._forget(message_id)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

