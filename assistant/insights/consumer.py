"""The guidance service's side of the event broker: keeps per-turn facts.

SQL broker (embedded): the `broker_events` table is drained every second. RabbitMQ
(`EVENT_BROKER_URL=amqp://...`): a consumer on the durable `EVENT_QUEUE` recording what
arrives within half a second (up to the prefetch) in one transaction and acknowledging each message after
it is recorded (so nothing is lost if the service stops), skipping malformed ones with a
log line, reconnecting when RabbitMQ goes away.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from assistant.insights.store import drain_broker_table, housekeeping, record_bodies
from assistant.settings import Settings

if TYPE_CHECKING:
    from aio_pika.abc import AbstractIncomingMessage

logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 3.0
#: Unacknowledged messages RabbitMQ delivers at most, and so the largest batch recorded at once.
PREFETCH = 50
#: Seconds the first message of a batch waits for others (a turn's events come within
#: milliseconds of each other): one transaction for them, not one each. Insights need no hurry.
LINGER_SECONDS = 0.5


async def drain_sql(batch: int = 200) -> int:
    """Everything waiting in the SQL broker's table (returns how many events)."""
    total = 0
    while True:
        count = await drain_broker_table(batch)
        total += count
        if count < batch:
            return total


async def consume_rabbitmq(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Consume RabbitMQ until cancelled (or `stop` is set)."""
    import aio_pika

    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            connection = await aio_pika.connect_robust(settings.event_broker_url, timeout=10)
            async with connection:
                channel = await connection.channel()
                await channel.set_qos(prefetch_count=PREFETCH)
                queue = await channel.declare_queue(settings.event_queue, durable=True)
                logger.info("insights: consuming RabbitMQ queue %s", settings.event_queue)
                inbox: asyncio.Queue[AbstractIncomingMessage] = asyncio.Queue()
                await queue.consume(inbox.put)
                while not stop.is_set():
                    batch = [await inbox.get()]  # and whatever else arrives soon after
                    await asyncio.sleep(LINGER_SECONDS)
                    while len(batch) < PREFETCH and not inbox.empty():
                        batch.append(inbox.get_nowait())
                    await handle_messages(batch)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("insights: RabbitMQ consumer stopped (%s), reconnecting", exc.__class__.__name__)
            await asyncio.sleep(RECONNECT_SECONDS)


async def handle_messages(messages: Sequence[AbstractIncomingMessage]) -> None:
    """Record RabbitMQ messages in one transaction (a turn's events cost one, not one each);
    ack each after recording (malformed ones are skipped and acked too), requeue them all
    when the database is unavailable."""
    try:
        await record_bodies([message.body for message in messages])
    except SQLAlchemyError as exc:
        logger.error("insights: database unavailable (%s), %d events requeued", exc.__class__.__name__, len(messages))
        for message in messages:
            await message.nack(requeue=True)
        await asyncio.sleep(RECONNECT_SECONDS)
        return
    for message in messages:
        await message.ack()


async def run_housekeeping(settings: Settings) -> None:
    await housekeeping(settings.insights_retention_days)
