"""The staff console under /staff/ (fr/ar/en, right-to-left in Arabic).

Server-rendered pages (Jinja2, autoescaped) whose forms work without JavaScript;
`static/staff/case.js` adds the live conversation view and in-place replies through
the JSON API. Every POST carries the CSRF token; the login form uses a double-submit
cookie because there is no session yet.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from aiohttp import web

from assistant import contract
from assistant.db.models import CASE_STATUSES, StaffUser
from assistant.db.types import utcnow
from assistant.kb.service import KnowledgeService
from assistant.languages import LANGUAGES, coerce_language, direction
from assistant.service import auth
from assistant.service.activity import Activity, waiting_label
from assistant.service.cases import (
    CaseFilters,
    CaseNotFound,
    CaseService,
    ConversationClosed,
    InvalidTransition,
    InvalidValue,
    NotFailed,
    ReplyNotFound,
    StaffNotFound,
)
from assistant.service.delivery_labels import delivery_key, delivery_label, reply_flash_key
from assistant.service.i18n import catalog, t
from assistant.service.keys import CASE_SERVICE
from assistant.service.rasa_client import RasaUnavailable
from assistant.service.richtext import rich_html
from assistant.settings import Settings

TEMPLATES = Path(__file__).parent / "templates" / "staff"
LANGUAGE_COOKIE = "staff_lang"
LOGIN_CSRF_COOKIE = "staff_login_csrf"
LANGUAGE_LABELS = [("fr", "Français"), ("ar", "العربية"), ("en", "English")]
CHANNELS = list(contract.CHANNELS)
TOPICS = sorted(contract.TOPICS)
SORTS = ("waiting", "newest")
#: Cases the queue considers (it sorts them by waiting time, which the database cannot).
QUEUE_LIMIT = 500
EXCERPT_CHARS = 110

SETTINGS = web.AppKey("console_settings", Settings)
KNOWLEDGE = web.AppKey("console_knowledge", KnowledgeService)

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True
)
_env.filters["rich"] = rich_html
_env.globals["delivery_key"] = delivery_key
_env.globals["delivery_label"] = delivery_label


def excerpt(text: str | None, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class CaseActivity:
    """An activity as the templates show it (labels in the console's language)."""

    def __init__(self, activity: Activity | None, lang: str, response_days: int) -> None:
        self.now = utcnow()
        self.activity = activity
        self.lang = lang
        self.response_days = response_days

    @property
    def connected(self) -> bool:
        return bool(self.activity and self.activity.connected(self.now))

    @property
    def waiting(self) -> str:
        since = self.activity.waiting_since if self.activity else None
        return waiting_label(int((self.now - since).total_seconds()), self.lang) if since else ""

    @property
    def overdue(self) -> bool:
        return bool(self.activity and self.activity.overdue(self.now, self.response_days))

    @property
    def last_seen(self) -> str:
        seen = self.activity.last_seen if self.activity else None
        if seen is None:
            return t(self.lang, "never_seen")
        if self.now - seen < dt.timedelta(minutes=1):
            return t(self.lang, "seen_just_now")
        return t(self.lang, "last_seen", when=waiting_label(int((self.now - seen).total_seconds()), self.lang))

    @property
    def whatsapp_window(self) -> bool | None:
        return self.activity.whatsapp_window_open(self.now) if self.activity else None


def ui_language(request: web.Request) -> str:
    chosen = request.query.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return str(chosen)
    staff = auth.current_staff(request)
    if staff is not None:
        return coerce_language(staff.language)
    for part in request.headers.get("Accept-Language", "").split(","):
        code = part.strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return "fr"


async def set_aside_count(request: web.Request) -> int:
    """Case requests set aside from the spool and not dismissed (the banner on every page)."""
    try:
        return await asyncio.wait_for(request.app[CASE_SERVICE].set_aside_count(), timeout=2)
    except Exception:  # the database is down: the page still renders, without the banner
        return 0


def _json_for_script(data: Any) -> str:
    """JSON safe inside <script type="application/json">."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


async def render(request: web.Request, template: str, status: int = 200, **context: Any) -> web.Response:
    lang = ui_language(request)
    staff_session = request.get(auth.SESSION_KEY)
    flash_key = request.query.get("done") or request.query.get("error")
    staff = auth.current_staff(request)
    body = _env.get_template(template).render(
        set_aside=await set_aside_count(request) if staff else 0,
        lang=lang,
        dir=direction(lang),
        t=catalog(lang),
        languages=LANGUAGE_LABELS,
        staff=staff,
        csrf=staff_session.csrf_token if staff_session else "",
        flash=t(lang, flash_key) if flash_key and flash_key in catalog(lang) else None,
        flash_kind="error" if "error" in request.query else "ok",
        **context,
    )
    response = web.Response(text=body, content_type="text/html", status=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
    )
    if request.query.get("lang") in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, request.query["lang"], max_age=365 * 86400, samesite="Strict", httponly=True)
    return response


def login_redirect(request: web.Request) -> web.HTTPFound:
    return web.HTTPFound("/staff/login?" + urlencode({"next": request.path_qs}))


def require_staff(request: web.Request) -> StaffUser:
    staff = auth.current_staff(request)
    if staff is None:
        raise login_redirect(request)
    return staff


def back_to_case(reference: str, **query: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/staff/cases/{quote(reference)}" + ("?" + urlencode(query) if query else ""))


def safe_next(value: str | None) -> str:
    """Only local console paths: never redirect to another site after login."""
    if value and value.startswith("/staff/") and not value.startswith("//"):
        return value
    return "/staff/"


# ------------------------------------------------------------------ pages


async def login_page(request: web.Request) -> web.Response:
    if auth.current_staff(request) is not None:
        raise web.HTTPFound("/staff/")
    token = secrets.token_urlsafe(24)
    response = await render(request, "login.html", login_csrf=token, next=safe_next(request.query.get("next")), email="", error=None)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=request.app[SETTINGS].cookie_secure, path="/staff/")
    return response


async def login_submit(request: web.Request) -> web.Response:
    form = await request.post()
    lang = ui_language(request)
    cookie_token = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    submitted = str(form.get("csrf", ""))
    email = str(form.get("email", ""))[:254]
    next_path = safe_next(str(form.get("next", "")))

    async def again(error_key: str, status: int) -> web.Response:
        token = secrets.token_urlsafe(24)
        response = await render(
            request, "login.html", status=status, login_csrf=token, next=next_path, email=email, error=t(lang, error_key)
        )
        response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="Strict", secure=request.app[SETTINGS].cookie_secure, path="/staff/")
        return response

    if not cookie_token or not hmac.compare_digest(cookie_token, submitted):
        return await again("csrf_failed", 403)
    result = await auth.login(email, str(form.get("password", ""))[:1024], auth.client_address(request))
    if result.rate_limited:
        response = await again("login_rate_limited", 429)
        response.headers["Retry-After"] = "900"
        return response
    if result.staff is None or result.token is None:
        return await again("login_failed", 401)
    response = web.HTTPSeeOther(next_path)
    auth.set_session_cookie(response, result.token, request.app[SETTINGS].cookie_secure)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/staff/")
    raise response


async def logout(request: web.Request) -> web.Response:
    form = await request.post()
    if auth.current_staff(request) is not None and auth.csrf_ok(request, str(form.get("csrf", ""))):
        await auth.logout(request.cookies.get(auth.COOKIE_NAME))
    response = web.HTTPSeeOther("/staff/login")
    auth.clear_session_cookie(response)
    raise response


async def region_labels(request: web.Request, lang: str) -> dict[str, str]:
    index = await request.app[KNOWLEDGE].index()
    labels = index.vocabulary.region_labels if index else {}
    return {**{slug: names[lang] for slug, names in labels.items()}, "undecided": t(lang, "region_undecided")}


async def queue(request: web.Request) -> web.Response:
    require_staff(request)
    lang = ui_language(request)
    q = request.query
    status = q.get("status") if q.get("status") in CASE_STATUSES else None
    language = q.get("language") if q.get("language") in LANGUAGES else None
    sort = q.get("sort") if q.get("sort") in SORTS else "waiting"
    filters = CaseFilters(
        status=status, language=language, region=q.get("region") or None,
        topic=q.get("topic") or None, channel=q.get("channel") or None, limit=QUEUE_LIMIT,
    )
    service = request.app[CASE_SERVICE]
    cases, total = await service.cases(filters)
    settings = request.app[SETTINGS]
    activities = await service.activity(cases)
    if sort == "waiting":  # longest wait first; cases nobody waits on after them, newest first
        waiting = {c.id: activities[c.id].waiting_since for c in cases}
        cases.sort(key=lambda c: (w.timestamp() if (w := waiting[c.id]) else float("inf"), -c.created_at.timestamp()))
    labels = await region_labels(request, lang)
    return await render(
        request, "queue.html", cases=cases, total=total, filters=filters, statuses=CASE_STATUSES,
        regions=sorted(labels.items(), key=lambda kv: kv[1]), topics=TOPICS, channels=CHANNELS, sort=sort, sorts=SORTS,
        region_label=lambda slug: labels.get(slug or "", slug or ""), excerpt=excerpt,
        activity={c.id: CaseActivity(activities.get(c.id), lang, settings.case_response_days) for c in cases},
        response_days=settings.case_response_days,
    )


async def case_page(request: web.Request) -> web.Response:
    require_staff(request)
    lang = ui_language(request)
    service = request.app[CASE_SERVICE]
    try:
        case = await service.case(request.match_info["reference"])
    except CaseNotFound:
        return await render(request, "error.html", status=404, title=t(lang, "not_found_title"), text=t(lang, "not_found_text"))
    staff_list = await service.active_staff()
    labels = await region_labels(request, lang)
    plan = await service.plan_of(case)  # the creation plan made in this conversation (none once erased)
    settings = request.app[SETTINGS]
    activities = await service.activity([case])
    return await render(
        request, "case.html", case=case, statuses=CASE_STATUSES, staff_list=staff_list, topics=TOPICS,
        region_label=lambda slug: labels.get(slug or "", slug or ""), i18n_json=_json_for_script(catalog(lang)),
        plan=plan.documents.get(lang) if plan else None,
        plan_url=f"/plan/{plan.token}.pdf?lang={lang}" if plan else None,
        activity=CaseActivity(activities.get(case.id), lang, settings.case_response_days),
        can_reply=case.erased_at is None and case.status not in contract.CLOSED_STATUSES,
    )


async def case_action(request: web.Request) -> web.Response:
    """Form posts of the case page: claim, assign, note, reply, status, live, handback, erase."""
    staff = require_staff(request)
    reference = request.match_info["reference"]
    action = request.match_info["action"]
    form = await request.post()
    if not auth.csrf_ok(request, str(form.get("csrf", ""))):
        raise back_to_case(reference, error="csrf_failed")
    service = request.app[CASE_SERVICE]
    try:
        done = await _case_action(service, action, reference, staff, form)
    except CaseNotFound:
        raise web.HTTPNotFound() from None
    except ConversationClosed as exc:
        raise back_to_case(reference, error="error_reply_erased" if exc.reason == "erased" else "error_reply_closed") from None
    except (InvalidTransition, StaffNotFound):
        raise back_to_case(reference, error="error_transition") from None
    except (ReplyNotFound, NotFailed):
        raise back_to_case(reference, error="error_not_failed") from None
    except InvalidValue:
        raise back_to_case(reference, error="error_empty" if action in ("note", "reply") else "error_transition") from None
    except RasaUnavailable:
        raise back_to_case(reference, error="error_rasa") from None
    raise back_to_case(reference, done=done)


async def _case_action(service: CaseService, action: str, reference: str, staff: StaffUser, form: Any) -> str:
    """Runs one form action through the staff-operations layer; returns the message key."""
    if action == "claim":
        await service.claim(reference, staff)
        return "done_claimed"
    if action == "assign":
        staff_id = str(form.get("staff_id", ""))
        await service.assign(reference, int(staff_id) if staff_id.isdigit() else 0, staff)
        return "done_assigned"
    if action == "note":
        await service.add_note(reference, staff, str(form.get("body", "")))
        return "done_note"
    if action == "reply":
        outcome = await service.reply(reference, staff, str(form.get("text", "")))
        return reply_flash_key(outcome.status, outcome.note)
    if action == "resend":
        message_id = str(form.get("message_id", ""))
        if not message_id.isdigit():
            raise ReplyNotFound(reference)
        await service.resend(reference, int(message_id), staff)
        return "done_resent"
    if action == "topic":
        await service.set_topic(reference, str(form.get("topic", "")) or None, staff)
        return "done_topic"
    if action == "status":
        await service.set_status(reference, str(form.get("status", "")), staff)
        return "done_status"
    if action in ("live", "handback"):
        await service.set_live(reference, action == "live", staff)
        return "done_live" if action == "live" else "done_handback"
    if action == "erase":
        await service.erase(reference, staff)
        return "done_erased"
    raise web.HTTPNotFound()


async def staff_root(request: web.Request) -> web.Response:
    raise web.HTTPFound("/staff/")


def setup(app: web.Application, settings: Settings, knowledge: KnowledgeService) -> None:
    app[SETTINGS] = settings
    app[KNOWLEDGE] = knowledge
    app.router.add_get("/staff", staff_root)
    app.router.add_get("/staff/", queue)
    app.router.add_get("/staff/login", login_page)
    app.router.add_post("/staff/login", login_submit)
    app.router.add_post("/staff/logout", logout)
    app.router.add_get("/staff/cases/{reference}", case_page)
    app.router.add_post(
        "/staff/cases/{reference}/{action:claim|assign|note|reply|resend|status|topic|live|handback|erase}", case_action
    )
