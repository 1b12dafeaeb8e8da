"""Wiring of insights into the guidance service (background tasks; pages in `pages.py`)."""

from __future__ import annotations

import asyncio

from assistant.insights.consumer import consume_rabbitmq, drain_sql, run_housekeeping
from assistant.insights.ratings import ActionRunner, ask_closed_cases
from assistant.settings import Settings


def insights_tasks(settings: Settings, rasa: ActionRunner) -> list[asyncio.Task[object]]:
    """The event consumer for the configured broker, retention housekeeping, and the
    rating question after a case is closed."""
    from assistant.service import workers

    tasks: list[asyncio.Task[object]] = [
        asyncio.create_task(workers.run_every(3600, lambda: run_housekeeping(settings), "insights retention")),
        asyncio.create_task(workers.run_every(10, lambda: ask_closed_cases(rasa), "case ratings")),
    ]
    if settings.event_broker_url.startswith("amqp"):
        tasks.append(asyncio.create_task(consume_rabbitmq(settings)))
    else:
        tasks.append(asyncio.create_task(workers.run_every(1, drain_sql, "insights events")))
    return tasks
