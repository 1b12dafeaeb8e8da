"""The console's list of case requests set aside from the spool (/staff/spool).

Every staff page shows a banner while some are not dismissed (console.render); this page
lists them, newest first, with the request as it was kept, and lets staff mark one
handled (after re-creating the case by hand or contacting the investor). Those still
waiting in this machine's `rejected.jsonl` (the database could not record them yet)
are listed too, without the button.
"""

from __future__ import annotations

from aiohttp import web

from assistant.service import auth
from assistant.service.cases import Rejection
from assistant.service.console import render, require_staff
from assistant.service.keys import CASE_SERVICE


async def spool_page(request: web.Request) -> web.Response:
    require_staff(request)
    count, entries, in_file = await request.app[CASE_SERVICE].rejected_requests()
    waiting = [Rejection(None, str(e.get("rejected_at") or ""), str(e.get("reason") or ""), e.get("request"))
               for e in in_file]
    return await render(request, "spool.html", entries=entries, waiting=waiting, count=count)


async def dismiss(request: web.Request) -> web.Response:
    staff = require_staff(request)
    form = await request.post()
    if not auth.csrf_ok(request, str(form.get("csrf") or "")):
        raise web.HTTPSeeOther("/staff/spool?error=csrf_failed")
    raw = request.match_info["rejection_id"]
    if raw.isdigit() and len(raw) <= 12:
        await request.app[CASE_SERVICE].dismiss_rejected(int(raw), staff)
    raise web.HTTPSeeOther("/staff/spool?done=done_spool_dismissed")


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/spool", spool_page)
    app.router.add_post(r"/staff/spool/{rejection_id}/dismiss", dismiss)
