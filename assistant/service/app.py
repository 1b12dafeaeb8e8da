"""The guidance service (aiohttp): demo website with the chat widget, staff console, JSON API."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from assistant.db import dispose_all, get_engine
from assistant.kb.store import live_version
from assistant.settings import Settings, get_settings

logger = logging.getLogger(__name__)

SETTINGS_KEY = web.AppKey("settings", Settings)

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
    status, code = {"status": "ok", "database": "ok"}, 200
    try:
        async with get_engine().connect() as connection:
            await connection.execute(text("SELECT 1"))
        status["knowledge_version"] = await live_version()
    except (SQLAlchemyError, OSError) as exc:
        logger.error("health check: database unavailable: %s", exc.__class__.__name__)
        status, code = {"status": "degraded", "database": "unavailable"}, 503
    return web.json_response(status, status=code)


async def _dispose(app: web.Application) -> None:
    await dispose_all()


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or get_settings()
    app = web.Application(middlewares=[security_headers], client_max_size=1024 * 1024)
    app[SETTINGS_KEY] = settings
    app.router.add_get("/health", health)
    from assistant.service import web_pages

    web_pages.setup(app)
    app.on_cleanup.append(_dispose)
    return app
