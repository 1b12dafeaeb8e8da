"""Wiring of insights into the guidance service (background tasks; pages in `pages.py`)."""

from __future__ import annotations

import asyncio

from assistant.insights.consumer import consume_rabbitmq, drain_sql, run_housekeeping
from assistant.settings import Settings


def insights_tasks(settings: Settings) -> list[asyncio.Task[object]]:
    """The event consumer for the configured broker, and retention housekeeping."""
    from assistant.service import workers

    tasks: list[asyncio.Task[object]] = [
        asyncio.create_task(workers.run_every(3600, lambda: run_housekeeping(settings), "insights retention")),
    ]
    if settings.event_broker_url.startswith("amqp"):
        tasks.append(asyncio.create_task(consume_rabbitmq(settings)))
    else:
        tasks.append(asyncio.create_task(workers.run_every(1, drain_sql, "insights events")))
    return tasks
