"""Presence of website visitors, for the staff console (table `channel_presence`).

The socketio channel records when a visitor's widget connects, beats (every
`HEARTBEAT_SECONDS` while the page is open) and disconnects. The service reads it:
a visitor is "connected now" while the row says so *and* was refreshed recently, so
a replica that crashed without seeing the disconnect cannot leave anyone "online".

Runs in the Rasa process: SQLAlchemy 1.4 Core with a synchronous driver, each write in
a worker thread; a failed write is logged and forgotten (presence is a hint, never a
reason to refuse a message).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import threading

from sqlalchemy import insert, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from assistant.channels.dedup import make_engine
from assistant.db.channel_tables import channel_presence

logger = logging.getLogger(__name__)

#: How often the widget says it is still there (see widget/src/connection.ts).
HEARTBEAT_SECONDS = 45


class PresenceLog:
    def __init__(self, database_url: str, channel: str = "socketio", engine: Engine | None = None) -> None:
        self.channel = channel
        self._database_url = database_url
        self._engine = engine
        self._lock = threading.Lock()

    def _get_engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self._database_url)
            return self._engine

    def _write(self, conversation_id: str, connected: bool) -> None:
        values = {"connected": connected, "seen_at": dt.datetime.now(dt.timezone.utc)}
        table = channel_presence
        row = table.c.conversation_id == conversation_id
        engine = self._get_engine()
        with engine.begin() as connection:
            if connection.execute(update(table).where(row).values(**values)).rowcount:
                return
        try:
            with engine.begin() as connection:
                connection.execute(insert(table).values(conversation_id=conversation_id, channel=self.channel, **values))
        except IntegrityError:  # another replica inserted it meanwhile
            with engine.begin() as connection:
                connection.execute(update(table).where(row).values(**values))

    async def record(self, conversation_id: str, connected: bool) -> None:
        """Connected (connect, heartbeat) or not (disconnect) as of now."""
        try:
            await asyncio.to_thread(self._write, conversation_id, connected)
        except SQLAlchemyError as exc:
            logger.warning("presence not recorded: %s", exc.__class__.__name__)
