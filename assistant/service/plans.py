"""The creation plan's PDF, at an unguessable per-conversation link: GET /plan/<token>.pdf?lang=ar.

The token is random (assistant/plan/store.py), so the link is the only key: an unknown
token is a plain 404 that says nothing about which tokens exist. The PDF is rendered on
request from the stored document, in a worker thread (fpdf2 is CPU-bound).
"""

from __future__ import annotations

import asyncio
import logging
import re

from aiohttp import web
from sqlalchemy.exc import SQLAlchemyError

from assistant.languages import LANGUAGES
from assistant.plan.pdf import render_pdf
from assistant.plan.store import plan_by_token
from assistant.settings import get_settings

logger = logging.getLogger(__name__)
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,100}$")


async def plan_pdf(request: web.Request) -> web.Response:
    token = request.match_info["token"]
    if not TOKEN_RE.match(token):
        raise web.HTTPNotFound(text="no such plan")
    try:
        plan = await plan_by_token(token)
    except (SQLAlchemyError, OSError) as exc:
        logger.error("plan lookup failed: %s", exc.__class__.__name__)
        raise web.HTTPServiceUnavailable(text="plans are unavailable right now, try again in a minute") from None
    if plan is None:
        raise web.HTTPNotFound(text="no such plan")
    lang = request.query.get("lang") or plan.language
    if lang not in LANGUAGES or lang not in plan.documents:
        raise web.HTTPBadRequest(text="lang must be one of: " + ", ".join(LANGUAGES))
    body = await asyncio.to_thread(render_pdf, plan.documents[lang], get_settings().plan_font_dir)
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="plan-{lang}.pdf"',
            "Cache-Control": "private, no-store",
            "X-Robots-Tag": "noindex",
        },
    )


def setup(app: web.Application) -> None:
    app.router.add_get("/plan/{token}.pdf", plan_pdf, name="plan_pdf")
