"""The guidance service (aiohttp): demo website with the chat widget, staff console, JSON API.

One process: pages and API on SERVICE_PORT, plus background tasks (notification
outbox, erasure of conversations, relay retries) started with the application.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from assistant.db.engine import dispose_all, get_engine
from assistant.insights import pages as insights_pages
from assistant.insights.service import insights_tasks
from assistant.kb.service import KnowledgeService
from assistant.kb.store import live_version
from assistant.service import api, console, plans, spool_pages, web_pages, workers
from assistant.service.auth import session_middleware
from assistant.service.cases import CaseService
from assistant.service.keys import CASE_SERVICE, SETTINGS_KEY
from assistant.service.rasa_client import RasaClient
from assistant.settings import Settings, get_settings

logger = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    return response


async def health(request: web.Request) -> web.Response:
    """Liveness and readiness: the database answers and a knowledge base is loaded."""
    status: dict[str, object] = {"status": "ok", "database": "ok"}
    code = 200
    try:
        async with get_engine().connect() as connection:
            await connection.execute(text("SELECT 1"))
        status["knowledge_version"] = await live_version()
    except (SQLAlchemyError, OSError) as exc:
        logger.error("health check: database unavailable: %s", exc.__class__.__name__)
        status, code = {"status": "degraded", "database": "unavailable"}, 503
    return web.json_response(status, status=code)


def background_tasks(settings: Settings, cases: CaseService, enabled: bool) -> Callable[[web.Application], AsyncIterator[None]]:
    async def context(app: web.Application) -> AsyncIterator[None]:
        tasks = []
        if enabled:
            tasks = [
                asyncio.create_task(workers.run_every(5, lambda: workers.deliver_due_notifications(settings), "notifications")),
                asyncio.create_task(workers.run_every(30, lambda: workers.process_erasures(settings), "erasure")),
                asyncio.create_task(workers.run_every(15, cases.retry_pending_replies, "relay retry")),
                asyncio.create_task(workers.run_every(3600, workers.prune_login_attempts, "login attempts")),
                *insights_tasks(settings, cases.rasa),
            ]
        yield
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await cases.rasa.close()
        await dispose_all()

    return context


def create_app(settings: Settings | None = None, *, run_background_tasks: bool = True) -> web.Application:
    settings = settings or get_settings()
    app = web.Application(
        middlewares=[security_headers, session_middleware, api.api_middleware], client_max_size=1024 * 1024
    )
    app[SETTINGS_KEY] = settings
    cases = CaseService(RasaClient(settings.rasa_url, settings.rasa_token), settings.tracker_database_url)
    app[CASE_SERVICE] = cases
    app.router.add_get("/health", health)
    api.setup(app, settings)
    plans.setup(app)
    console.setup(app, settings, KnowledgeService())
    web_pages.setup(app)
    spool_pages.setup(app)
    insights_pages.setup(app)
    app.cleanup_ctx.append(background_tasks(settings, cases, run_background_tasks))
    return app
