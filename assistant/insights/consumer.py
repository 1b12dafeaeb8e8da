"""The guidance service's side of the event broker: keeps per-turn facts.

SQL broker (embedded): the `broker_events` table is drained every second. RabbitMQ
(`EVENT_BROKER_URL=amqp://...`): a consumer on the durable `EVENT_QUEUE`, acknowledging
each message after it is recorded (so nothing is lost if the service stops), skipping
malformed ones with a log line, reconnecting when RabbitMQ goes away.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import SQLAlchemyError

from assistant.insights.facts import MalformedEvent
from assistant.insights.store import decode, drain_broker_table, housekeeping, record_event
from assistant.settings import Settings

logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 3.0


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
                await channel.set_qos(prefetch_count=50)
                queue = await channel.declare_queue(settings.event_queue, durable=True)
                logger.info("insights: consuming RabbitMQ queue %s", settings.event_queue)
                async with queue.iterator() as messages:
                    async for message in messages:
                        await handle_message(message)
                        if stop.is_set():
                            break
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            logger.warning("insights: RabbitMQ consumer stopped (%s), reconnecting", exc.__class__.__name__)
            await asyncio.sleep(RECONNECT_SECONDS)


async def handle_message(message: object) -> None:
    """Record one RabbitMQ message; ack after recording, ack-and-skip when malformed,
    requeue when the database is unavailable."""
    body = getattr(message, "body", b"")
    try:
        await record_event(decode(body))
    except MalformedEvent as exc:
        logger.warning("insights: skipped malformed event (%s)", exc)
    except SQLAlchemyError as exc:
        logger.error("insights: database unavailable (%s), event requeued", exc.__class__.__name__)
        await message.nack(requeue=True)  # type: ignore[attr-defined]
        await asyncio.sleep(RECONNECT_SECONDS)
        return
    await message.ack()  # type: ignore[attr-defined]


async def run_housekeeping(settings: Settings) -> None:
    await housekeeping(settings.insights_retention_days)
