"""Rasa's event broker for insights, configured from the environment (Rasa process only).

Embedded default: Rasa's `SQLEventBroker` writing to the project database's `events`
table (`DATABASE_URL`). At scale, `EVENT_BROKER_URL=amqp://guest:guest@host:5672/`:
Rasa's `PikaEventBroker` publishing to the durable queue `EVENT_QUEUE`. Either way a
broker that is down never stops Rasa answering: an event that cannot be published is
written to a local spool file and replayed in order when the broker is back (Rasa's
own Pika broker would drop events published before it connected and keeps failed
ones only in memory). The guidance service consumes the events (`consumer.py`).
"""

from __future__ import annotations

import asyncio
import json
import logging
import queue
import threading
import time
from asyncio import AbstractEventLoop
from pathlib import Path
from typing import Any

import sqlalchemy
import sqlalchemy.orm
from rasa.core.brokers.broker import EventBroker
from rasa.core.brokers.pika import PikaEventBroker
from rasa.core.brokers.sql import SQLEventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.engine.url import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import declarative_base

from assistant.insights.spool import EventSpool
from assistant.settings import get_settings
from assistant.stores.tracker import pooled_sqlite_engine

logger = logging.getLogger(__name__)

#: Seconds between reconnection / replay attempts.
RETRY_SECONDS = 2.0
#: Seconds one publication to RabbitMQ may take: while aio-pika restores a lost connection a
#: publication could wait for ever, and a replay stuck there held the spool's replay lock, so
#: no replica published again (seen in the scaled reliability test, issue #15).
PUBLISH_TIMEOUT = 5.0
#: Seconds to wait for a PostgreSQL connection (psycopg2 would wait for ever on one that hangs).
DATABASE_TIMEOUT = 5.0
#: Events kept in memory for the SQL broker's thread; past that (database hanging) they
#: go to the spool on disk, so memory stays bounded and nothing is lost.
MAX_QUEUED_EVENTS = 1000
#: Events the SQL broker's thread writes in one transaction at most.
MAX_BATCH = 200


def spool_dir() -> Path:
    return get_settings().data_dir / "event-spool"


#: Rasa's SQL broker calls its table `events`, like Rasa's SQL tracker store: when both
#: use one PostgreSQL database the broker would write into the tracker's table. Same
#: columns, own name (created by the project's Alembic migration).
BROKER_TABLE = "broker_events"
_BrokerBase: Any = declarative_base()


class BrokerEvent(_BrokerBase):  # type: ignore[misc,valid-type]
    __tablename__ = BROKER_TABLE
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255))
    data = Column(Text)


class SpoolingSQLEventBroker(SQLEventBroker):
    """Rasa's SQL broker on `DATABASE_URL`; failed writes are spooled and replayed."""

    Base = _BrokerBase
    SQLBrokerEvent = BrokerEvent

    def __init__(self, url: str, spool: EventSpool, max_queued: int = MAX_QUEUED_EVENTS) -> None:
        # Rasa's __init__ creates the table at once and fails when the database is down;
        # this one starts anyway (events are spooled) and the table comes from Alembic.
        parsed = make_url(url)
        self.spool = spool
        self._last_retry = 0.0
        if parsed.get_backend_name() == "sqlite":
            db = parsed.database or "assistant.db"
            Path(db).parent.mkdir(parents=True, exist_ok=True)
            engine_url = SQLTrackerStore.get_db_url("sqlite", db=db)
        else:
            engine_url = SQLTrackerStore.get_db_url(
                parsed.drivername, parsed.host, parsed.port, parsed.database or "rasa",
                parsed.username, parsed.password,
            )
        if parsed.get_backend_name() == "sqlite":  # one thread writes: one connection kept open
            self.engine = pooled_sqlite_engine(engine_url, pool_size=1, pool_pre_ping=True)
        else:
            self.engine = sqlalchemy.create_engine(engine_url, pool_pre_ping=True,
                                                   connect_args={"connect_timeout": int(DATABASE_TIMEOUT)})
        try:
            self.Base.metadata.create_all(self.engine)
        except SQLAlchemyError as exc:
            logger.warning("event broker: database unavailable at start (%s)", exc.__class__.__name__)
        self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)
        self._events: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=max_queued)
        self._spilling = threading.Lock()
        self._worker = threading.Thread(target=self._work, name="event-broker", daemon=True)
        self._worker.start()

    def publish(self, event: dict[str, Any]) -> None:
        """Queues the event for the broker's own thread: Rasa's event loop never waits for
        the database (one that hangs, connection accepted and never answered, would
        otherwise freeze every conversation of this process; issue #9).

        The queue is bounded: when it is full (the database hangs) what it holds and this
        event are spilled, in order, to the spool on disk; the thread then keeps writing
        behind them (it spools while the spool is pending), so nothing is lost or reordered
        except the one event the thread may be writing at that moment."""
        try:
            self._events.put_nowait(event)
        except queue.Full:
            self._spill(event)

    def _spill(self, event: dict[str, Any] | None) -> None:
        with self._spilling:
            queued: list[dict[str, Any]] = []
            while True:
                try:
                    item = self._events.get_nowait()
                except queue.Empty:
                    break
                self._events.task_done()
                if item is not None:
                    queued.append(item)
            if event is not None:
                queued.append(event)
            self.spool.extend(queued)
        logger.warning("event broker: %d events waiting for the database spooled to disk", len(queued))

    def _work(self) -> None:
        """Writes what is queued, in order, up to MAX_BATCH events per transaction: a turn's
        events (and those of the turns that came meanwhile) cost one commit, not one each."""
        while True:
            batch = [self._events.get()]
            while batch[-1] is not None and len(batch) < MAX_BATCH:
                try:
                    batch.append(self._events.get_nowait())
                except queue.Empty:
                    break
            events = [event for event in batch if event is not None]
            try:
                if events:
                    self._write(events)
            except Exception as exc:  # the thread must survive anything
                logger.error("event broker: %d events lost (%s)", len(events), exc.__class__.__name__)
            finally:
                for _ in batch:
                    self._events.task_done()
            if batch[-1] is None:
                return

    def drain(self) -> None:
        """Waits until every event published so far is written or spooled (tests, shutdown)."""
        self._events.join()

    def _write(self, events: list[dict[str, Any]]) -> None:
        now = time.monotonic()
        if self.spool.pending() and now - self._last_retry > RETRY_SECONDS:
            self._last_retry = now
            try:
                replayed = self.spool.replay(super().publish)
                logger.info("event broker: %d spooled events written", replayed)
            except Exception as exc:  # the database is still down
                logger.warning("event broker: database still unavailable (%s)", exc.__class__.__name__)
        if self.spool.pending():
            self.spool.extend(events)  # keep the order behind older spooled events
            return
        try:
            # Rasa's publish, for several events in one commit and one multi-row insert (an
            # ORM object and an INSERT per event before, #15)
            rows = [{"sender_id": event.get("sender_id"), "data": json.dumps(event)} for event in events]
            with self.session_scope() as session:
                session.execute(BrokerEvent.__table__.insert(), rows)
                session.commit()
        except Exception as exc:
            logger.warning("event broker: database unavailable (%s), %d events spooled", exc.__class__.__name__,
                           len(events))
            self.spool.extend(events)

    async def close(self) -> None:
        """Writes what is queued (or spools it) before the process stops."""
        try:
            self._events.put_nowait(None)
        except queue.Full:  # the database hangs: what is queued goes to the spool
            self._spill(None)
            self._events.put(None)
        await asyncio.to_thread(self._worker.join, 2 * DATABASE_TIMEOUT)
        if self._worker.is_alive():  # stuck on a hanging database: the spool keeps the rest
            with self._spilling:
                rest = []
                while not self._events.empty():
                    event = self._events.get_nowait()
                    if event is not None:
                        rest.append(event)
                self.spool.extend(rest)


class SpoolingPikaEventBroker(PikaEventBroker):
    """Rasa's Pika broker; while RabbitMQ is unreachable events go to the spool."""

    def __init__(self, url: str, queue: str, spool: EventSpool, event_loop: AbstractEventLoop | None) -> None:
        parsed = make_url(url)
        super().__init__(
            host=url if parsed.host else "localhost",
            username=parsed.username or "guest",
            password=parsed.password or "guest",
            port=parsed.port or 5672,
            queues=[queue],
            should_keep_unpublished_messages=False,
            connection_attempts=1,
            retry_delay_in_seconds=0,
            event_loop=event_loop,
        )
        self.spool = spool
        self._maintainer: asyncio.Task[None] | None = None

    async def start(self) -> None:
        try:
            await self.connect()
        except Exception as exc:
            logger.warning("event broker: RabbitMQ unreachable (%s); events are spooled", exc.__class__.__name__)
        self._maintainer = self._loop.create_task(self._maintain())

    async def _maintain(self) -> None:
        """Reconnect when the first connection failed; replay the spool when connected."""
        while True:
            await asyncio.sleep(RETRY_SECONDS)
            try:
                if self._connection is None:
                    await self.connect()
                if self.is_ready() and self._exchange is not None and self.spool.pending():
                    count = await self.spool.replay_async(self._publish_or_raise)
                    logger.info("event broker: %d spooled events published", count)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.debug("event broker: RabbitMQ still unavailable (%s)", exc.__class__.__name__)

    async def _publish_or_raise(self, event: dict[str, Any]) -> None:
        if self._exchange is None:
            raise ConnectionError("not connected")
        await asyncio.wait_for(self._exchange.publish(self._message(event, None), ""), PUBLISH_TIMEOUT)

    def publish(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        # behind this process's own spooled events (their order), not another replica's:
        # a replica sharing DATA_DIR would otherwise spool everything while the other has a file
        if not self.is_ready() or self._exchange is None or self.spool.holding():
            self.spool.append(event)
            return
        super().publish(event, headers)

    async def _publish(self, event: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        try:
            if self._exchange is None:
                raise ConnectionError("not connected")
            await asyncio.wait_for(self._exchange.publish(self._message(event, headers), ""), PUBLISH_TIMEOUT)
        except Exception as exc:
            logger.warning("event broker: publish failed (%s), event spooled", exc.__class__.__name__)
            self.spool.append(event)

    async def close(self) -> None:
        if self._maintainer is not None:
            self._maintainer.cancel()
        await super().close()
        self.spool.close()


class InsightsEventBroker(EventBroker):
    """Factory named in `endpoints.yml`: picks the SQL or the RabbitMQ broker."""

    # a factory: it returns another broker class than its own (Rasa types it as returning cls)
    @classmethod
    async def from_endpoint_config(  # type: ignore[override]
        cls, broker_config: EndpointConfig, event_loop: AbstractEventLoop | None = None
    ) -> EventBroker:
        settings = get_settings()
        spool = EventSpool(spool_dir())
        if settings.event_broker_url.startswith("amqp"):
            broker = SpoolingPikaEventBroker(
                settings.event_broker_url, settings.event_queue, spool, event_loop or asyncio.get_event_loop()
            )
            await broker.start()
            return broker
        return SpoolingSQLEventBroker(settings.database_url, spool)
