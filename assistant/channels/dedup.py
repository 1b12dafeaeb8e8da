"""Which inbound messages were already handled (table `channel_inbound_messages`).

Meta re-delivers a webhook it thinks failed, Twilio may retry, and a restart loses
memory: the message id is claimed in the database *before* the message is processed,
so a message is answered at most once, across restarts and replicas. The claim is
an INSERT on the primary key, atomic in SQLite and PostgreSQL alike.

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

from sqlalchemy import create_engine, delete, insert
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

inbound_messages = channel_inbound_messages


def make_engine(database_url: str) -> Engine:
    """A synchronous engine for `DATABASE_URL` (`sqlite:///…` or `postgresql://…` via psycopg2)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        # Other processes write the same file: wait for their lock instead of failing.
        return create_engine(url, future=True, connect_args={"timeout": 10})
    return create_engine(url, future=True, pool_pre_ping=True, pool_size=2, max_overflow=4)


class InboundMessageLog:
    """Claims inbound message ids for one channel (`whatsapp`, `twilio`)."""

    def __init__(self, database_url: str, channel: str, engine: Engine | None = None) -> None:
        self.channel = channel
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

    async def claim(self, message_id: str, sender_id: str) -> bool:
        """True when this message is new and must be processed; False for a duplicate.

        When the database fails the message is processed anyway (logged): answering
        is preferred to losing it, and the in-memory ids still catch quick re-deliveries.
        """
        if message_id in self._recent:
            return False
        self._remember(message_id)
        try:
            return await asyncio.to_thread(self._claim, message_id, sender_id)
        except SQLAlchemyError as exc:
            logger.error("%s: could not record inbound message %s (%s)", self.channel, message_id, type(exc).__name__)
            return True

    def _claim(self, message_id: str, sender_id: str) -> bool:
        now = dt.datetime.now(dt.timezone.utc)
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(inbound_messages).values(
                        message_id=message_id, channel=self.channel, sender_id=sender_id, received_at=now
                    )
                )
        except IntegrityError:
            return False
        self._maybe_prune(now)
        return True

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

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
